"""The one way in: every change and every query the UI, the command line and sync may ask for.

``Services`` (in ``facade``) is loaded on first use, so that importing a light
module of this package (its errors, for instance) does not import the database
layer: the desktop program shows its window while that happens in the background.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from regional_centre.services.facade import Services, current_user

__all__ = ["Services", "current_user"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from regional_centre.services import facade

        return getattr(facade, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
