"""Search folding: the same name typed or pasted in its different forms finds the same key."""

from __future__ import annotations

import pytest

from bo_console.core.text import fold


@pytest.mark.parametrize(
    "variant",
    [
        "فاطمة",
        "فاطمه",  # ta marbuta typed as ha
        "فَاطِمَة",  # with diacritics
        "فاطـمة",  # with tatweel
        "\ufed3\ufe8e\ufec3\ufee4\ufe94",  # presentation forms, as text copied from a PDF
    ],
)
def test_arabic_variants_fold_to_one_key(variant: str) -> None:
    assert fold(variant) == fold("فاطمة")


@pytest.mark.parametrize("variant", ["أحمد", "إحمد", "آحمد", "احمد"])
def test_every_alef_form_folds_to_bare_alef(variant: str) -> None:
    assert fold(variant) == "احمد"


def test_latin_folds_case_and_compatibility_forms() -> None:
    assert fold("  STRASSE ") == fold("straße") == "strasse"
    assert fold("Ｍｏｎａ") == "mona"  # full-width letters from an East Asian input method
