"""A projection's companion tables (the document counts) are named from the copy of the table they serve,
so a rebuild's fresh copy gets fresh ones, and dropping a copy drops them with it."""
from __future__ import annotations

from documents.adapters.projections.documents import PROJECTION


def test_each_copy_of_the_table_has_its_own_companions_created_by_its_schema():
    assert PROJECTION.tables() == ["documents_v1_counts", "documents_v1"]
    copy = "documents_v1_r20261201120000"
    assert PROJECTION.tables(copy) == [f"{copy}_counts", copy]
    ddl = PROJECTION.ddl(copy)
    for table in PROJECTION.tables(copy):
        assert f"CREATE TABLE IF NOT EXISTS {table} (" in ddl
    assert "documents_v1_counts" not in ddl and "{table}" not in ddl  # nothing of the serving copy's
    assert len(f"{copy}_counts") <= 63  # PostgreSQL's longest name: no copy's companion is cut short
