"""Run every benchmark (or those named: `python -m bench customer_import`), print the table and keep
the results in bench-results/<timestamp>.json."""
from __future__ import annotations

import importlib
import json
import platform
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from . import MODULES

RESULTS = Path(__file__).resolve().parent.parent / "bench-results"


def _figure(value, unit: str) -> str:
    return f"{value:,.1f} {unit}" if isinstance(value, (int, float)) else f"{value} {unit}"


def table(rows: list[dict]) -> str:
    lines = [("benchmark", "figure", "baseline", "ratio")]
    for r in rows:
        baseline = r.get("baseline")
        lines.append((r["benchmark"], _figure(r["value"], r["unit"]),
                      f"{_figure(baseline, r['unit'])} ({r.get('baseline_name', 'baseline')})" if baseline else "-",
                      f"{r['value'] / baseline:.3f}" if baseline else "-"))
    widths = [max(len(line[i]) for line in lines) for i in range(4)]
    out = [" | ".join(cell.ljust(w) for cell, w in zip(line, widths)) for line in lines]
    out.insert(1, "-+-".join("-" * w for w in widths))
    notes = [f"  {r['benchmark']}: {r['notes']}" for r in rows if r.get("notes")]
    return "\n".join(out + ([""] + notes if notes else []))


def main(names: list[str]) -> int:
    rows, started = [], time.time()
    for name in names or MODULES:
        print(f"[bench] {name} ...", file=sys.stderr, flush=True)
        rows.extend(importlib.import_module(f"bench.{name}").run())
    print(table(rows))
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS / f"{stamp}.json"
    path.write_text(json.dumps({"started": started, "seconds": time.time() - started, "machine": platform.node(),
                                "python": platform.python_version(), "results": rows}, indent=2, default=str))
    print(f"\nresults: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
