"""The enumerations of the domain: contact types with Collect!'s codes, modes, repeats."""

from __future__ import annotations

from enum import IntEnum, StrEnum

from collectcli.domain.errors import InputError


class ContactType(IntEnum):
    """Contact types with the codes Collect! uses (seed 004); custom types are 50 and up."""

    LETTER = 0
    PHONE = 1
    STATUS = 2
    PROMISE = 3
    PLAN = 4
    REVIEW = 5
    OTHER = 6
    NOTE = 7
    CLOSE = 8
    METRO = 10
    EDIT = 11
    ACTIVATE = 12
    OPERATOR = 13
    SALES = 14
    TRANSACTION = 15
    COMMISSION = 16
    RATEPLAN = 17
    EXPORT = 18
    EMAIL = 19
    CLIENT = 20
    ODBC = 21
    TEXT = 22
    OPERATORVIEWED = 23
    TEXTIN = 24
    PHONEIN = 25
    LETTERIN = 26
    EMAILIN = 27

    @property
    def label(self) -> str:
        """The canonical spelling used in plan files, JSON and tables."""
        return _LABELS[self]


_LABELS = {
    ContactType.RATEPLAN: "RatePlan",
    ContactType.OPERATORVIEWED: "OperatorViewed",
    ContactType.TEXTIN: "TextIn",
    ContactType.PHONEIN: "PhoneIn",
    ContactType.LETTERIN: "LetterIn",
    ContactType.EMAILIN: "EmailIn",
    ContactType.ODBC: "ODBC",
}
for _t in ContactType:
    _LABELS.setdefault(_t, _t.name.capitalize())

# Extra spellings people type (seed 004 lists "Rate Plan", "Text/SMS", "Operator Viewed").
_ALIASES = {
    "rate plan": ContactType.RATEPLAN,
    "sms": ContactType.TEXT,
    "text/sms": ContactType.TEXT,
    "sms/text": ContactType.TEXT,
    "text/sms in": ContactType.TEXTIN,
    "sms/text in": ContactType.TEXTIN,
    "operator viewed": ContactType.OPERATORVIEWED,
    "phone in": ContactType.PHONEIN,
    "letter in": ContactType.LETTERIN,
    "email in": ContactType.EMAILIN,
    "text in": ContactType.TEXTIN,
}

CUSTOM_TYPE_MIN = 50

AUTOMATIC_TYPES = frozenset(
    {
        ContactType.ACTIVATE,
        ContactType.CLOSE,
        ContactType.COMMISSION,
        ContactType.EDIT,
        ContactType.NOTE,
        ContactType.OPERATOR,
        ContactType.PLAN,
        ContactType.RATEPLAN,
        ContactType.SALES,
        ContactType.STATUS,
        ContactType.TRANSACTION,
        ContactType.EXPORT,
    }
)
"""Types the batch executes itself (SPEC 6, 7)."""

LETTER_TYPES = frozenset({ContactType.LETTER, ContactType.EMAIL, ContactType.TEXT})
"""Types the letter batch renders."""

OPERATOR_ASSISTED_TYPES = frozenset(
    {ContactType.PROMISE, ContactType.PHONE, ContactType.REVIEW, ContactType.OTHER}
)
"""Types that wait in the WIP list (custom types too)."""

INCOMING_TYPES = frozenset(
    {ContactType.TEXTIN, ContactType.PHONEIN, ContactType.LETTERIN, ContactType.EMAILIN}
)


def parse_contact_type(text: str | int) -> int:
    """A contact type code from its name (any case), alias or number; custom codes are ≥ 50."""
    if isinstance(text, int) and not isinstance(text, bool):
        code = text
    else:
        raw = str(text).strip()
        key = raw.lower()
        if key in _ALIASES:
            return int(_ALIASES[key])
        for t in ContactType:
            if t.label.lower() == key or t.name.lower() == key:
                return int(t)
        if not raw.isdigit():
            raise InputError(f"unknown contact type '{raw}' (use e.g. Letter, Phone, Note, Status)")
        code = int(raw)
    if code in ContactType._value2member_map_ or code >= CUSTOM_TYPE_MIN:
        return code
    raise InputError(f"unknown contact type code {code}")


def type_label(code: int) -> str:
    """The canonical name of a contact type code; custom types read 'Custom50' and so on."""
    if code in ContactType._value2member_map_:
        return ContactType(code).label
    return f"Custom{code}"


def is_automatic(code: int) -> bool:
    """True for the types the batch executes (SPEC 7)."""
    return code in AUTOMATIC_TYPES


class Mode(StrEnum):
    """A debtor's mode."""

    ACTIVE = "ACTIVE"
    CLOSED = "CLOSED"


class Repeat(StrEnum):
    """How a contact repeats (seed 002 Repeat field)."""

    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"
    MONTHLY = "monthly"
    BIMONTHLY = "bimonthly"
    QUARTERLY = "quarterly"
    SEMIANNUALLY = "semiannually"
    ANNUALLY = "annually"
    CUSTOM = "custom"


def parse_repeat(text: str | None) -> Repeat | None:
    """A Repeat from its name; blank or 'none' means no repeat."""
    if text is None or str(text).strip().lower() in ("", "none", "no repeat"):
        return None
    try:
        return Repeat(str(text).strip().lower())
    except ValueError:
        names = ", ".join(r.value for r in Repeat)
        raise InputError(f"unknown repeat '{text}' (use one of: {names})") from None


class Assign(StrEnum):
    """Whom an event's contact is assigned to (seed 002)."""

    ACCOUNT = "account"
    CURRENT = "current"
    SPECIFIC = "specific"


class TxnKind(StrEnum):
    """What a transaction type does to the balance."""

    PAYMENT = "payment"
    REVERSAL = "reversal"
    PRINCIPAL = "principal"
    FEE = "fee"
    INTEREST = "interest"
    ADJUSTMENT = "adjustment"


class Status(StrEnum):
    """A contact's status: In Progress or Completed (seed 004)."""

    PENDING = "pending"
    DONE = "done"
