"""How the tool prints: one readable line per event, or one JSON object per line for machines."""
from __future__ import annotations

import json
from typing import Sequence

from .records import Record


def event_json(record: Record, short_topic: str) -> str:
    attributes = {k[3:]: v for k, v in record.headers.items() if k.startswith("ce_")}
    return json.dumps({"topic": short_topic, "partition": record.partition, "offset": record.offset,
                       "key": record.key, **attributes, "data": record.data}, sort_keys=False)


def event_line(record: Record, short_topic: str) -> str:
    data = json.dumps(record.data, separators=(",", ":")) if record.data is not None else "<not JSON>"
    return (f"{record.ce('time', '?'):<27} {record.ce('type', '<no type>'):<45} tenant={record.ce('tenantid', '?')}"
            f"  {record.ce('subject')}  {short_topic}[{record.partition}]@{record.offset}  {data}")


def table(rows: Sequence[dict], columns: Sequence[str]) -> str:
    """A plain aligned table; empty rows print a dash so an empty section is visible."""
    if not rows:
        return "  -"
    widths = {c: max(len(c), *(len(str(r.get(c, ""))) for r in rows)) for c in columns}
    lines = ["  ".join(c.upper().ljust(widths[c]) for c in columns)]
    lines += ["  ".join(str(r.get(c, "")).ljust(widths[c]) for c in columns) for r in rows]
    return "\n".join(lines)
