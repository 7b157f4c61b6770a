"""Labels put inside sentences keep the capitals that belong to them."""

from __future__ import annotations

import pytest

from regional_centre.i18n import in_sentence


@pytest.mark.parametrize(
    ("label", "written"),
    [
        ("Organisation", "organisation"),
        ("SME follow-up", "SME follow-up"),  # an acronym
        ("Advisory Committee review", "Advisory Committee review"),  # a name
        ("Pseudonymised participants", "pseudonymised participants"),
        ("Участник", "участник"),
        ("МСП", "МСП"),
        ("جهة", "جهة"),  # no case
        ("机构", "机构"),
    ],
)
def test_only_a_plain_first_word_is_lowered(label: str, written: str) -> None:
    assert in_sentence(label) == written
