"""Rendering the letter batch's letters (SPEC 7): Letter, Email and Text contacts.

The contact's description names the template, `NAME.txt` (seed 004: 'Collect! uses the
Description field of each Letter contact to locate the letter to print'). The shell
builds the Jinja2 environment (its loader reads `--templates`, then the shipped letters)
and writes the files; this module only renders. A missing template or a template error
is a LetterError for that contact alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from jinja2 import Environment, TemplateError, TemplateNotFound, TemplateSyntaxError

from collectcli.domain.model import Debtor
from collectcli.domain.money import fmt
from collectcli.domain.types import type_label

_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _.-]{0,99}$")


class LetterError(Exception):
    """A letter that cannot be rendered: the reason names the template."""


@dataclass(frozen=True, slots=True)
class LetterContact:
    """What a template may show of the contact being sent."""

    id: int
    type: int
    description: str
    due_date: date | None


@dataclass(frozen=True, slots=True)
class PromiseInfo:
    """The debtor's earliest pending promise, for promise letters."""

    due_date: date | None = None
    amount: Decimal | None = None


def template_name(description: str) -> str:
    """`NAME.txt` from the contact description; a path or odd name is a LetterError."""
    name = description.strip()
    if not _NAME_RE.match(name) or ".." in name:
        raise LetterError(f"'{description}' is not a letter template name "
                          "(letters, digits, space, '_', '-', '.'; no folders)")
    return name if name.endswith(".txt") else f"{name}.txt"


def letter_context(debtor: Debtor, contact: LetterContact, today: date,
                   promise: PromiseInfo) -> dict[str, Any]:
    """The template variables: debtor fields (money as '0.00' text, dates ISO), the
    contact, the promise and today. Each debtor field is also a top-level name."""
    fields: dict[str, Any] = {
        "file": debtor.file, "name": debtor.name, "mode": debtor.mode.value,
        "status": debtor.status or "", "operator": debtor.operator or "",
        "sales": debtor.sales or "", "state": debtor.state or "",
        "country": debtor.country or "", "email": debtor.email or "",
        "phone": debtor.phone or "", "summary": debtor.summary or "",
        "poe": debtor.poe or "", "owing": fmt(debtor.owing), "principal": fmt(debtor.principal),
        "paid": fmt(debtor.paid), "fees": fmt(debtor.fees), "interest": fmt(debtor.interest),
    }
    for key in ("listed_date", "closed_date", "last_payment_date", "validation_end"):
        value = getattr(debtor, key)
        fields[key] = value.isoformat() if value else ""
    fields["promise_date"] = promise.due_date.isoformat() if promise.due_date else ""
    fields["promise_amount"] = fmt(promise.amount) or ""
    letter = {"id": contact.id, "type": type_label(contact.type),
              "description": contact.description,
              "due_date": contact.due_date.isoformat() if contact.due_date else ""}
    return {**fields, "debtor": fields, "contact": letter, "today": today.isoformat()}


def render_letter(env: Environment, debtor: Debtor, contact: LetterContact, today: date,
                  promise: PromiseInfo | None = None) -> str:
    """The letter's text; LetterError when the template is missing or fails."""
    name = template_name(contact.description)
    try:
        template = env.get_template(name)
        return template.render(letter_context(debtor, contact, today, promise or PromiseInfo()))
    except TemplateNotFound:
        raise LetterError(f"no letter template '{name}' (looked in --templates, then the "
                          "letters shipped with collect)") from None
    except TemplateSyntaxError as exc:
        raise LetterError(f"letter template '{name}' line {exc.lineno}: {exc.message}") from None
    except TemplateError as exc:
        raise LetterError(f"letter template '{name}': {exc}") from None
