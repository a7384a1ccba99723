"""Pydantic's refusals reach people in plain words, with the fields named as the forms name them."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from bo_console.core.errors import ValidationFailed
from bo_console.finance import documents, parties
from bo_console.finance.messages import invalid
from bo_console.finance.models import AccountUpdate, EntryCreate

PYDANTIC_WORDS = ("Input should", "Value error", "String should", "pydantic", "lines.")


def plain(exc: ValidationFailed) -> str:
    text = " | ".join([exc.message, *(f"{e.field}: {e.message}" for e in exc.errors)])
    assert not any(words in text for words in PYDANTIC_WORDS), text
    return text


def entry_failure(lines: list[dict[str, Any]]) -> ValidationFailed:
    with pytest.raises(ValidationError) as caught:
        EntryCreate.model_validate({"date": date(2026, 3, 1), "lines": lines})
    return invalid(caught.value, fallback="entry")


def test_an_entry_line_names_its_line_and_field() -> None:
    failed = entry_failure([{"account": "1110", "debit": 100}, {"account": "4100", "debit": -5}])
    plain(failed)
    assert failed.message == "line 2: the debit cannot be negative"
    assert failed.errors[0].field == "line 2 debit"
    assert failed.errors[0].message == "the debit cannot be negative"


def test_a_line_rule_keeps_its_own_words() -> None:
    failed = entry_failure([{"account": "1110", "debit": 100, "credit": 100}])
    assert plain(failed).startswith("line 1: give a debit or a credit")
    assert failed.errors[0].field == "line 1"


def test_a_too_long_memo_and_no_lines() -> None:
    failed = entry_failure([{"account": "1110", "debit": 1, "memo": "m" * 201}])
    assert failed.message == "line 1: the memo is too long (at most 200 characters)"
    assert plain(entry_failure([])).startswith("give at least 1 lines")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": "x" * 161}, "the name is too long (at most 160 characters)"),
        ({"payment_terms": -1}, "the payment terms cannot be negative"),
        ({"payment_terms": "soon"}, "the payment terms must be a number"),
        ({"email": "nobody"}, "'nobody' is not an email address"),
    ],
)
def test_party_refusals_are_plain(fields: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        parties.validate_party({"name": "Al Safa Hospital", **fields})
    assert plain(caught.value).startswith(message)


def document(**line: object) -> dict[str, Any]:
    good = {"description": "Gloves", "quantity": 1, "unit_price": 100, "tax_code": "S15"}
    return {
        "kind": "invoice",
        "party": "C1",
        "date": date(2026, 3, 1),
        "lines": [good, {**good, **line}],
    }


@pytest.mark.parametrize(
    ("line", "message", "field"),
    [
        ({"unit_price": -1}, "line 2: the unit price cannot be negative", "line 2 unit price"),
        ({"tax_code": ""}, "line 2: the tax code cannot be empty", "line 2 tax code"),
        ({"tax_code": "T" * 17}, "line 2: the tax code is too long", "line 2 tax code"),
        ({"description": "d" * 201}, "line 2: the description is too long", "line 2 description"),
    ],
)
def test_document_refusals_are_plain(line: dict[str, object], message: str, field: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        documents.validate_document(document(**line))
    assert plain(caught.value).startswith(message)
    assert caught.value.errors[0].field == field


def test_a_due_date_before_the_date_is_said_as_it_is() -> None:
    values = {**document(), "due_date": date(2026, 2, 1)}
    with pytest.raises(ValidationFailed) as caught:
        documents.validate_document(values)
    assert plain(caught.value).startswith("the due date cannot be before the document date")


def test_an_account_edit_refuses_a_name_add_would_refuse() -> None:
    with pytest.raises(ValidationError) as caught:
        AccountUpdate(name="x" * 121)
    assert invalid(caught.value).message == "the name is too long (at most 120 characters)"
    with pytest.raises(ValidationError):
        AccountUpdate(name_ar="x" * 121)
    assert AccountUpdate(name="Cash in hand").name == "Cash in hand"
