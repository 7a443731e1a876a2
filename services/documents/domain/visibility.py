"""Who may see which document: every rule in this one module, as pure functions (seeds 002, 003, 004).

decide() answers for one reader and one document and names the rule that decided; the single read
and the staff's "why" endpoint use it. scope() says the same for a whole list, as facts a query
filters on: tests/unit/test_visibility_properties.py and tests/integration/documents/ prove that
the list query returns exactly the documents decide() lets through, for random readers and documents.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from contracts.documents import KINDS

from .documents import AREA_OF_KIND

RELEASED_QUOTE_STATUSES = ("pending", "accepted", "declined", "expired")  # seed 003: never draft or open
VISIBLE = "visible"
UNKNOWN_READER = "reader.unknown"
# A staff-kind user sees no costs, prices, totals or balances (seed 004); `x[].y` is y in every item of x.
MONEY = ("subtotal", "tax", "total", "amount_paid", "balance_due", "opening_balance", "closing_balance", "aging",
         "lines[].unit_price", "lines[].discount", "lines[].amount",
         "entries[].debit", "entries[].credit", "entries[].balance")
INTERNAL = {"order": ("internal_status",)}  # never shown to any customer (seed 003)


@dataclass(frozen=True)
class Reader:
    """A user as the documents service knows it: its projection of identity's user and role events."""

    tenant_id: str
    user_id: str
    user_type: str  # "portal" or "staff" (the distributor's people)
    kind: str | None = None  # a portal user's kind: "management" or "staff" (seed 004)
    receivable_account: str | None = None
    areas: frozenset[str] = frozenset()
    own_orders_only: bool = False
    approved: bool = True
    disabled: bool = False
    deleted: bool = False
    username: str = ""
    customer_id: str | None = None
    staff_roles: frozenset[str] = frozenset()
    sales_rep: str | None = None  # a staff sales rep's code, as its customers carry it


@dataclass(frozen=True)
class Facts:
    """What the rules look at in a document; `status` is a quote's status, an order's customer-facing one."""

    tenant_id: str
    kind: str
    receivable_account: str
    status: str | None = None
    placed_by: str | None = None


@dataclass(frozen=True)
class Decision:
    visible: bool
    rule: str
    redactions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rule:
    code: str
    refuses: Callable[[Reader, Facts], bool]
    why: Callable[[Reader, Facts], str]


# Reader rules refuse everything at once; the list query stops at them (scope() is None).
READER_RULES = (
    Rule("reader.not_portal_user", lambda r, d: r.user_type != "portal",
         lambda r, d: "Only portal users see customer documents; this is a staff user."),
    Rule("reader.deleted", lambda r, d: r.deleted, lambda r, d: "The user is deleted: it sees nothing."),
    Rule("reader.pending", lambda r, d: not r.approved,
         lambda r, d: "The user waits for approval: they see nothing until approved."),
    Rule("reader.disabled", lambda r, d: r.disabled, lambda r, d: "The user is disabled: it sees nothing."),
)
DOCUMENT_RULES = (
    Rule("tenant.other", lambda r, d: d.tenant_id != r.tenant_id,
         lambda r, d: "The document belongs to another tenant."),
    Rule("account.other", lambda r, d: d.receivable_account != r.receivable_account,
         lambda r, d: f"The document is for receivable account {d.receivable_account!r}; the user's is "
                      f"{r.receivable_account!r}."),
    Rule("area.not_held", lambda r, d: AREA_OF_KIND[d.kind] not in r.areas,
         lambda r, d: f"The user does not hold the {AREA_OF_KIND[d.kind]!r} area; it holds "
                      f"{', '.join(repr(a) for a in sorted(r.areas)) or 'none'}."),
    Rule("staff_kind.no_statements", lambda r, d: r.kind == "staff" and d.kind == "ar_statement",
         lambda r, d: "A staff-kind user never sees A/R statements: they are balances."),
    Rule("quote.not_released", lambda r, d: d.kind == "quote" and d.status not in RELEASED_QUOTE_STATUSES,
         lambda r, d: f"The quote is {d.status!r}: customers see quotes once released (pending) and after."),
    Rule("order.not_own", lambda r, d: d.kind == "order" and r.own_orders_only and d.placed_by != r.user_id,
         lambda r, d: "The user sees only the orders it placed, and another user placed this one."),
)


def decide(reader: Reader | None, document: Facts) -> Decision:
    """Whether the reader sees the document, the rule that decided, and what to hide if it does."""
    if reader is None:
        return Decision(False, UNKNOWN_READER)
    for rule in READER_RULES + DOCUMENT_RULES:
        if rule.refuses(reader, document):
            return Decision(False, rule.code)
    return Decision(True, VISIBLE, redactions(reader, document.kind))


def explain(reader: Reader | None, document: Facts, decision: Decision) -> str:
    """The decision in words, for staff asking why."""
    if decision.rule == UNKNOWN_READER:
        return "No such user in this tenant, or its events have not reached the documents service yet."
    if decision.visible:
        hidden = f"; hidden from it: {', '.join(decision.redactions)}" if decision.redactions else ""
        return f"Its own receivable account, an area it holds, and no rule refuses it{hidden}."
    return next(rule.why(reader, document) for rule in READER_RULES + DOCUMENT_RULES if rule.code == decision.rule)


def redactions(reader: Reader, kind: str) -> tuple[str, ...]:
    return INTERNAL.get(kind, ()) + (MONEY if reader.kind == "staff" else ())


def redact(content: dict, hidden: tuple[str, ...]) -> dict:
    """The document without the hidden fields (top-level names, or `list[].name` in each item)."""
    shown = {k: v for k, v in content.items() if k not in hidden}
    for path in (p for p in hidden if "[]." in p):
        name, item_field = path.split("[].", 1)
        if isinstance(shown.get(name), list):
            shown[name] = [{k: v for k, v in item.items() if k != item_field} for item in shown[name]]
    return shown


@dataclass(frozen=True)
class Scope:
    """decide() for a whole list, as what a query filters on."""

    tenant_id: str
    receivable_account: str
    kinds: tuple[str, ...]
    released_quote_statuses: tuple[str, ...] = RELEASED_QUOTE_STATUSES
    orders_placed_by: str | None = None  # set: only orders this user placed


def scope(reader: Reader | None) -> Scope | None:
    """What the reader may list, or None when it may see nothing at all."""
    if reader is None or any(rule.refuses(reader, None) for rule in READER_RULES):
        return None
    kinds = tuple(k for k in KINDS if AREA_OF_KIND[k] in reader.areas
                  and not (reader.kind == "staff" and k == "ar_statement"))
    if not kinds or reader.receivable_account is None:
        return None
    return Scope(reader.tenant_id, reader.receivable_account, kinds,
                 orders_placed_by=reader.user_id if reader.own_orders_only else None)
