"""Documents as the ERP sends them, one of each kind, for tests of every tier."""
from __future__ import annotations

from contracts.document_fields import CONTENT

_PRICED_LINE = {"line_number": 1, "item_code": "BOLT-M8", "description": "Hex bolt M8x40", "quantity": "100",
                "unit": "pcs", "unit_price": "0.25", "discount": "0.00", "amount": "25.00"}
_PRICED = {"currency": "EUR", "lines": [_PRICED_LINE], "subtotal": "25.00", "tax": "4.75", "total": "29.75"}
BODIES = {
    "quote": {**_PRICED, "status": "pending", "valid_until": "2026-03-31"},
    "order": {**_PRICED, "internal_status": "credit hold", "customer_status": "Processing",
              "placed_by_user_id": None, "due_on": "2026-02-15"},
    "invoice": {**_PRICED, "status": "open", "due_on": "2026-02-28", "order_numbers": ["SO-1"],
                "amount_paid": "0.00", "balance_due": "29.75"},
    "ar_statement": {"currency": "EUR", "period_from": "2026-01-01", "opening_balance": "100.00",
                     "closing_balance": "129.75",
                     "entries": [{"entry_date": "2026-01-20", "reference": "INV-1", "description": "Invoice",
                                  "debit": "29.75", "credit": None, "balance": "129.75"}],
                     "aging": {"current": "29.75", "days_1_30": "100.00", "days_31_60": "0.00",
                               "days_61_90": "0.00", "over_90": "0.00"}},
    "shipment": {"status": "shipped", "order_number": "SO-1", "carrier": "DHL", "tracking_numbers": ["JD0146000"],
                 "packing_slips": [{"number": "PS-1", "url": "https://erp.example/slips/PS-1.pdf"}],
                 "lines": [{"line_number": 1, "item_code": "BOLT-M8", "description": "Hex bolt M8x40",
                            "quantity": "100", "unit": "pcs"}]},
}


def body(kind: str, account: str = "1200-ACME", issued_on: str = "2026-01-20", **fields) -> dict:
    """What the ERP PUTs for a document of this kind."""
    return {"receivable_account": account, "issued_on": issued_on, "customer_reference": "PO-77",
            **BODIES[kind], **fields}


def content(kind: str, account: str = "1200-ACME", **fields) -> dict:
    """The same, normalised as the events hold it (every field present)."""
    schema = CONTENT[kind]()
    return schema.dump(schema.load(body(kind, account, **fields)))
