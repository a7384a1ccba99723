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


# NUL and the other C0/C1 control characters (tab, newline and carriage return are text), and
# the bidirectional embeddings, overrides and isolates, which make "Ali<RLO>gnp.exe" display as
# "Aliexe.png". The marks (U+200E, U+200F, U+061C) stay: Arabic text needs them.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


class BadText(ValidationFailed, ValueError):
    """Text holding a character no field may store. A ValueError too, so that a model's
    validator that meets it reports it under the field's name."""


def forbidden_character(value: str) -> str | None:
    """What is wrong with ``value``'s first character that no field may hold, or None."""
    found = _FORBIDDEN.search(value)
    if found is None:
        return None
    code = ord(found.group())
    kind = "a bidirectional control" if code >= 0x202A else "a control character"
    if code == 0:
        kind = "a NUL byte"
    return f"holds {kind} (U+{code:04X}) at position {found.start() + 1}; remove it"


def clean(value: str, field: str = "") -> str:
    """Trimmed, NFC-normalised text: how every stored string is kept.

    Raises:
        BadText: the text holds bytes that are not UTF-8, or, when ``field`` is given, control
            characters or bidirectional overrides (the message names the field).
    """
    if _SURROGATES.search(value):
        shown = value.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        raise BadText(f"'{shown}' is not UTF-8 text (is the terminal set to UTF-8?)")
    if field:
        # Without a field name the store's own guard (on every flush) says it, naming the
        # column: a message without a field is no help to anyone.
        problem = forbidden_character(value)
        if problem is not None:
            raise BadText(f"{field} {problem}")
    return unicodedata.normalize("NFC", value).strip()


def fold(value: str) -> str:
    """A search key: case-folded Latin, Arabic without diacritics or tatweel, one alef form,
    ta marbuta as ha, alef maqsura as ya.

    NFKC (not NFC) so that Arabic presentation forms, which text copied from a PDF often holds,
    and full-width Latin fold to the letters people type."""
    text = _FORBIDDEN.sub("", unicodedata.normalize("NFKC", value))
    text = _ARABIC_DIACRITICS.sub("", text)
    text = text.translate(_ALEF_FORMS)
    return text.casefold().strip()
