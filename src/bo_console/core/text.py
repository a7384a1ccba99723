"""Text hygiene: NFC normalisation for storage, folding for search (Arabic and Latin)."""

from __future__ import annotations

import re
import unicodedata

from bo_console.core.errors import ValidationFailed

_ARABIC_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_ALEF_FORMS = str.maketrans(
    {
        "\u0622": "\u0627",
        "\u0623": "\u0627",
        "\u0625": "\u0627",
        "\u0671": "\u0627",
        "\u0629": "\u0647",
        "\u0649": "\u064a",
    }
)


# Python turns bytes that are not UTF-8 (in arguments, from a misconfigured terminal) into lone
# surrogates; no database or file format can store them.
_SURROGATES = re.compile("[\ud800-\udfff]")


def clean(value: str) -> str:
    """Trimmed, NFC-normalised text: how every stored string is kept.

    Raises:
        ValidationFailed: the text holds bytes that are not UTF-8.
    """
    if _SURROGATES.search(value):
        shown = value.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        raise ValidationFailed(f"'{shown}' is not UTF-8 text (is the terminal set to UTF-8?)")
    return unicodedata.normalize("NFC", value).strip()


def fold(value: str) -> str:
    """A search key: case-folded Latin, Arabic without diacritics or tatweel, one alef form,
    ta marbuta as ha, alef maqsura as ya.

    NFKC (not NFC) so that Arabic presentation forms, which text copied from a PDF often holds,
    and full-width Latin fold to the letters people type."""
    text = unicodedata.normalize("NFKC", value)
    text = _ARABIC_DIACRITICS.sub("", text)
    text = text.translate(_ALEF_FORMS)
    return text.casefold().strip()
