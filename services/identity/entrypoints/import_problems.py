"""Import problems in the API's error shape: each names its row and column, as a field and a pointer."""
from __future__ import annotations

from ..domain.import_rows import RowProblem


def row_errors(problems) -> list[dict]:
    """[{row, column, field, pointer, detail}] from RowProblems or stored problem rows."""
    errors = []
    for p in problems:
        row, column, message = (p.row, p.column, p.message) if isinstance(p, RowProblem) else (
            p["row"], p["column"], p["message"])
        pointer = f"#/rows/{row}/{column}" if column else f"#/rows/{row}"
        errors.append({"row": row, "column": column, "field": column, "pointer": pointer, "detail": message})
    return errors
