"""Demo data: a realistic database to try the program on, and random edits for sync tests."""

from regional_centre.demo.churn import churn
from regional_centre.demo.generator import SIZES, Progress, generate

__all__ = ["SIZES", "Progress", "churn", "generate"]
