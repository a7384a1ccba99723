"""New customers from the front office: registered pending, approved (or rejected) by finance
after checking the commercial registration and the VAT number.

A pending customer can be neither sold to nor invoiced (``parties.require_role`` refuses it);
approving it closes the ``customer-approval`` item in Finance's inbox. The database refuses an
approval by the person who registered the customer (trigger ``fin_party_approval``).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field, field_validator

from bo_console.core.errors import RuleViolation, ValidationFailed
from bo_console.core.text import clean

# The pending list reads without the ORM; these names stay importable from here.
from bo_console.finance.customer_list import CustomerView as CustomerView
from bo_console.finance.customer_list import invoice_states as invoice_states
from bo_console.finance.customer_list import pending_customers as pending_customers

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.security import Actor
    from bo_console.finance.document_models import Party

_CR_RE = re.compile(r"^[1-7]\d{9}$")
_VAT_RE = re.compile(r"^3\d{13}3$")


def check_cr_number(value: str) -> str:
    """A Saudi commercial registration number: 10 digits, the first 1 to 7 (the issuing
    office's region)."""
    value = clean(value).replace(" ", "")
    if not _CR_RE.match(value):
        raise ValueError("a commercial registration number is 10 digits, the first 1 to 7")
    return value


def check_vat_number(value: str) -> str:
    """A Saudi VAT registration number: 15 digits, starting and ending with 3."""
    value = clean(value).replace(" ", "")
    if not _VAT_RE.match(value):
        raise ValueError("a VAT number is 15 digits, starting and ending with 3")
    return value


class CustomerRegistration(BaseModel):
    """What the front office takes from a new customer (KYC)."""

    name: str = Field(min_length=1, max_length=160)
    name_ar: str = Field(default="", max_length=160)
    cr_number: str
    tax_number: str
    contact_name: str = Field(default="", max_length=120)
    email: str = Field(default="", max_length=120)
    phone: str = Field(default="", max_length=40)
    address: str = Field(default="", max_length=300)

    @field_validator("name", "name_ar", "contact_name", "address", "email", "phone")
    @classmethod
    def _text(cls, value: str) -> str:
        return clean(value)

    @field_validator("cr_number")
    @classmethod
    def _cr(cls, value: str) -> str:
        return check_cr_number(value)

    @field_validator("tax_number")
    @classmethod
    def _vat(cls, value: str) -> str:
        return check_vat_number(value)


def _view(party: Party) -> CustomerView:
    return CustomerView(
        party.code,
        party.name,
        party.cr_number,
        party.tax_number,
        party.status,
        party.created_by,
        party.created_at,
        party.approved_by,
    )


def register_customer(
    session: Session, actor: Actor, data: CustomerRegistration
) -> tuple[CustomerView, int]:
    """Register a customer, pending finance's approval; puts a ``customer-approval`` item in
    Finance's inbox. Returns the customer and the item's id.

    Raises:
        RuleViolation: a customer with this VAT number or commercial registration exists.
    """
    from sqlmodel import or_, select

    from bo_console.core import audit, inbox
    from bo_console.finance.document_models import Party, PartyCreate
    from bo_console.finance.parties import insert_party

    if not actor.can("front.write"):
        actor.require("finance.post", "register customers")
    data = CustomerRegistration.model_validate(data.model_dump())
    twin = session.exec(
        select(Party).where(
            or_(Party.tax_number == data.tax_number, Party.cr_number == data.cr_number)
        )
    ).first()
    if twin is not None:
        raise RuleViolation(
            f"{twin.code} {twin.name} already has this VAT number or commercial registration"
        )
    fields = data.model_dump(exclude={"cr_number"})
    party = insert_party(
        session, actor, PartyCreate.model_validate({**fields, "is_customer": True})
    )
    party.status = "pending"
    party.cr_number = data.cr_number
    session.add(party)
    session.flush()
    audit.record(
        session,
        actor,
        action="register",
        entity="party",
        entity_id=party.code,
        changes={"status": (None, "pending"), "cr_number": (None, data.cr_number)},
    )
    item = inbox.create_item(
        session,
        actor,
        from_dept="front" if actor.can("inbox.send") else "finance",
        item=inbox.NewWorkItem(
            kind="customer-approval",
            subject=f"Approve new customer {party.code} {party.name}",
            body=f"Commercial registration {data.cr_number}, VAT number {data.tax_number}. "
            "Check both against the certificates before approving.",
            links=(inbox.Link("party", party.code, party.name[:120]),),
        ),
    )
    return _view(party), item.id or 0


def _pending(session: Session, code: str) -> Party:
    from bo_console.finance.parties import find_party

    party = find_party(session, code)
    if party.status != "pending":
        raise RuleViolation(f"{party.code} {party.name} is {party.status}, not pending approval")
    return party


def approve_customer(session: Session, actor: Actor, code: str, note: str = "") -> CustomerView:
    """Approve a pending customer (finance clerks; not the person who registered it); the
    approval item in Finance's inbox closes."""
    from bo_console.core import audit, inbox
    from bo_console.core.clock import utcnow

    actor.require("finance.post", "approve customers")
    party = _pending(session, code)
    if party.created_by == actor.login:
        raise RuleViolation(
            f"{party.code} was registered by you; someone else in finance approves it"
        )
    party.status = "approved"
    party.approved_by = actor.login
    party.approved_at = utcnow()
    session.add(party)
    session.flush()
    audit.record(
        session,
        actor,
        action="approve",
        entity="party",
        entity_id=party.code,
        changes={"status": ("pending", "approved")},
    )
    inbox.close_linked(
        session,
        actor,
        kind="customer-approval",
        link=inbox.Link("party", party.code),
        state="approved",
        note=note or f"Approved by {actor.login}.",
    )
    return _view(party)


def reject_customer(session: Session, actor: Actor, code: str, reason: str) -> CustomerView:
    """Reject a pending customer (it is deactivated); the approval item closes rejected."""
    from bo_console.core import audit, inbox

    actor.require("finance.post", "reject customers")
    text = clean(reason)
    if not text:
        raise ValidationFailed("say why the customer is rejected")
    party = _pending(session, code)
    party.status = "rejected"
    party.active = False
    session.add(party)
    session.flush()
    audit.record(
        session,
        actor,
        action="reject",
        entity="party",
        entity_id=party.code,
        changes={"status": ("pending", "rejected"), "reason": (None, text)},
    )
    inbox.close_linked(
        session,
        actor,
        kind="customer-approval",
        link=inbox.Link("party", party.code),
        state="rejected",
        note=f"Rejected: {text}",
    )
    return _view(party)


def customer_status(session: Session, actor: Actor, code: str) -> CustomerView:
    """One customer's registration and approval (no balances)."""
    from bo_console.finance.parties import find_party

    if not actor.can("front.read"):
        actor.require("finance.read", "see customers")
    return _view(find_party(session, code))
