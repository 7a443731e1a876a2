"""Run every benchmark (or those named: `python -m bench customer_import`), print the table and keep
the results in bench-results/<timestamp>.json; `python -m bench --compare A B` prints two kept runs side
by side (A and B: files in bench-results/, by path or name)."""
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


def _load(name: str) -> dict:
    path = Path(name)
    if not path.exists():
        path = RESULTS / (name if name.endswith(".json") else f"{name}.json")
    return json.loads(path.read_text())


def compare(a: str, b: str) -> str:
    """Each figure of run A beside run B's, with B/A for the figures and for their ratios to baseline."""
    runs = [{r["benchmark"]: r for r in _load(name)["results"]} for name in (a, b)]
    names = list(runs[0]) + [n for n in runs[1] if n not in runs[0]]

    def cell(r):
        if r is None:
            return "-", None
        ratio = r["value"] / r["baseline"] if r.get("baseline") else None
        return _figure(r["value"], r["unit"]) + (f" ({ratio:.3f} of baseline)" if ratio else ""), ratio

    lines = [("benchmark", f"A: {Path(a).stem}", f"B: {Path(b).stem}", "B/A")]
    for name in names:
        (ta, ra), (tb, rb) = cell(runs[0].get(name)), cell(runs[1].get(name))
        both = runs[0].get(name) and runs[1].get(name)
        change = f"{runs[1][name]['value'] / runs[0][name]['value']:.2f}x" if both and runs[0][name]["value"] else "-"
        lines.append((name, ta, tb, change))
    widths = [max(len(line[i]) for line in lines) for i in range(4)]
    out = [" | ".join(c.ljust(w) for c, w in zip(line, widths)) for line in lines]
    out.insert(1, "-+-".join("-" * w for w in widths))
    return "\n".join(out)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--compare"]:
        if len(sys.argv) != 4:
            sys.exit("usage: python -m bench --compare A B   (two files in bench-results/)")
        print(compare(sys.argv[2], sys.argv[3]))
        sys.exit(0)
    sys.exit(main(sys.argv[1:]))
