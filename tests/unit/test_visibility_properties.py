"""Property-based: over random users, roles, flags and documents, decide() lets no one see what the rules
forbid, hides every amount from a staff-kind user and every internal order status from everyone."""
from hypothesis import given, settings
from marshmallow import fields

from contracts.document_fields import CONTENT, DECIMAL_PATTERN
from documents.domain.visibility import decide, redact, redactions, scope
from tests.documents_samples import content
from tests.visibility_strategies import documents, readers, should_see


@settings(max_examples=400, deadline=None)
@given(readers, documents)
def test_decide_agrees_with_the_rules_as_the_issue_states_them(reader, document):
    assert decide(reader, document).visible == should_see(reader, document)


@settings(max_examples=300, deadline=None)
@given(readers, documents)
def test_what_a_scope_admits_is_what_decide_admits(reader, document):
    s = scope(reader)
    admitted = s is not None and (
        document.tenant_id == s.tenant_id and document.receivable_account == s.receivable_account
        and document.kind in s.kinds
        and (document.kind != "quote" or document.status in s.released_quote_statuses)
        and (document.kind != "order" or s.orders_placed_by is None or document.placed_by == s.orders_placed_by))
    assert admitted == decide(reader, document).visible


def _money_paths(schema, prefix=""):
    """Every field that holds an amount: decimal strings other than quantities, and nested ones."""
    for name, field in schema().fields.items() if isinstance(schema, type) else schema.fields.items():
        inner = field.inner if isinstance(field, fields.List) else field
        if isinstance(inner, fields.Nested):
            sep = "[]." if isinstance(field, fields.List) else "."
            yield from _money_paths(inner.schema, f"{prefix}{name}{sep}")
        elif any(getattr(v, "regex", None) is not None and v.regex.pattern == DECIMAL_PATTERN
                 for v in inner.validators) and name != "quantity":
            yield f"{prefix}{name}"


@settings(max_examples=20, deadline=None)
@given(readers.filter(lambda r: r.kind == "staff"))
def test_every_amount_of_every_kind_is_hidden_from_a_staff_kind_user(reader):
    for kind, schema in CONTENT.items():
        hidden = redactions(reader, kind)
        for path in _money_paths(schema):
            assert path in hidden or path.split(".")[0] in hidden, f"{kind}.{path} would be shown"
        shown = redact(content(kind), hidden)
        assert not any(p in shown for p in ("total", "subtotal", "tax", "balance_due", "closing_balance"))
        assert all("unit_price" not in line and "amount" not in line for line in shown.get("lines", []))


@settings(max_examples=50, deadline=None)
@given(readers)
def test_no_reader_ever_gets_an_orders_internal_status(reader):
    assert "internal_status" not in redact(content("order"), redactions(reader, "order"))
