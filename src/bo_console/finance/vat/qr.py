"""The ZATCA QR code of a simplified tax invoice (phase 1 fields): tag-length-value records,
base64-encoded.

Tags: 1 seller's name, 2 seller's VAT registration number, 3 the invoice's time stamp
(ISO 8601), 4 the invoice total with VAT, 5 the VAT total. Each value is UTF-8; its length
is one byte, so a value holds at most 255 bytes.
"""

from __future__ import annotations

import base64

from bo_console.core.errors import ValidationFailed

TAGS = {1: "seller", 2: "vat_number", 3: "timestamp", 4: "total", 5: "vat"}


def encode_tlv(seller: str, vat_number: str, timestamp: str, total: str, vat: str) -> str:
    """The QR code's text: the five records, base64."""
    out = bytearray()
    for tag, value in enumerate((seller, vat_number, timestamp, total, vat), start=1):
        data = value.encode("utf-8")
        if len(data) > 255:
            raise ValidationFailed(f"the QR code's {TAGS[tag]} is longer than 255 bytes")
        out += bytes((tag, len(data))) + data
    return base64.b64encode(bytes(out)).decode("ascii")


def decode_tlv(text: str) -> dict[str, str]:
    """The records of a QR code's text, by name.

    Raises:
        ValidationFailed: not base64, or a record runs past the end.
    """
    try:
        data = base64.b64decode(text, validate=True)
    except ValueError:
        raise ValidationFailed("not base64") from None
    found: dict[str, str] = {}
    at = 0
    while at < len(data):
        if at + 2 > len(data) or at + 2 + data[at + 1] > len(data):
            raise ValidationFailed(f"a record at byte {at} runs past the end")
        tag, size = data[at], data[at + 1]
        found[TAGS.get(tag, str(tag))] = data[at + 2 : at + 2 + size].decode("utf-8")
        at += 2 + size
    return found
