"""Run every benchmark (or those named: `python -m bench customer_import`) BENCH_REPEAT times (3), print
each figure's median and spread, issue 15's targets and the CPU by process, and keep the run in
bench-results/<timestamp>.json (every run is kept); `python -m bench --compare A B` prints two kept runs side
by side (A and B: files in bench-results/, by path or name)."""
from __future__ import annotations

import importlib
import json
import os
import platform
import statistics
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from eventkit.process_gc import collect_less

from . import MODULES, cpu, targets

RESULTS = Path(__file__).resolve().parent.parent / "bench-results"


REPEAT = int(os.environ.get("BENCH_REPEAT", "3"))


def _figure(value, unit: str) -> str:
    return f"{value:,.1f} {unit}" if isinstance(value, (int, float)) else f"{value} {unit}"


def _spread(r: dict) -> str:
    low, high = r.get("spread") or (None, None)
    return f" ({low:,.1f}-{high:,.1f})" if low is not None and len(r.get("values", ())) > 1 else ""


def _columns(lines: list[tuple]) -> list[str]:
    widths = [max(len(line[i]) for line in lines) for i in range(len(lines[0]))]
    out = [" | ".join(cell.ljust(w) for cell, w in zip(line, widths)) for line in lines]
    out.insert(1, "-+-".join("-" * w for w in widths))
    return out


def table(rows: list[dict]) -> str:
    """Every figure: the median of the runs with its spread (min-max), the baseline's, and the ratio."""
    lines = [("benchmark", "figure (min-max)", "baseline", "ratio")]
    for r in rows:
        baseline = r.get("baseline")
        lines.append((r["benchmark"], _figure(r["value"], r["unit"]) + _spread(r),
                      f"{_figure(baseline, r['unit'])} ({r.get('baseline_name', 'baseline')})" if baseline else "-",
                      f"{r['value'] / baseline:.3f}" if baseline else "-"))
    notes = [f"  {r['benchmark']}: {r['notes']}" for r in rows if r.get("notes")]
    return "\n".join(_columns(lines) + ([""] + notes if notes else []))


def targets_table(rows: list[dict]) -> str:
    """Each of issue 15's targets: the figure it reads, its baseline, the ratio, the target, met or not, and
    where one is measured, the ceiling the libraries set on this machine."""
    lines = [("target", "figure (min-max)", "baseline", "ratio", "target", "met", "ceiling here")]
    for t in targets.check(rows):
        r, c = t.get("row"), t.get("ceiling")
        ceiling = _figure(c["value"], c["unit"]) + _spread(c) if c else "-"
        if r is None:
            lines.append((t["target"], "not run", "-", "-", t["bound"], "-", ceiling))
            continue
        lines.append((t["target"], _figure(r["value"], r["unit"]) + _spread(r),
                      _figure(r["baseline"], r["unit"]) if r.get("baseline") else "-",
                      f"{t['ratio']:.3f}" if t["ratio"] is not None else "-", t["bound"], "yes" if t["met"] else "NO",
                      ceiling))
    return "\n".join(_columns(lines))


def cpu_lines(phases: list[dict]) -> str:
    """CPU per event by process, each phase's median over the runs."""
    by_name: dict[str, list[dict]] = {}
    for record in phases:
        by_name.setdefault(record["phase"], []).append(record)
    out = []
    for records in by_name.values():
        middle = dict(records[0])
        key = "cpu_us_per_event" if middle.get("cpu_us_per_event") else "cpu_s"
        middle[key] = {kind: statistics.median(r[key].get(kind, 0.0) for r in records) for kind in middle[key]}
        out.append(f"  {cpu.words(middle)}" + (f" (median of {len(records)})" if len(records) > 1 else ""))
    return "\n".join(out)


def combine(runs: list[list[dict]]) -> list[dict]:
    """The runs' rows as one row per figure: the median, its spread (min, max), and every run's values."""
    by_name: dict[str, list[dict]] = {}
    for rows in runs:
        for r in rows:
            by_name.setdefault(r["benchmark"], []).append(r)
    combined = []
    for name, rows in by_name.items():
        values = [r["value"] for r in rows]
        baselines = [r["baseline"] for r in rows if r.get("baseline")]
        middle = sorted(rows, key=lambda r: r["value"])[(len(rows) - 1) // 2]
        combined.append({**middle, "value": statistics.median(values), "spread": [min(values), max(values)],
                         "values": values, **({"baseline": statistics.median(baselines), "baselines": baselines}
                                              if baselines else {}),
                         **({"sustained": all(r["sustained"] for r in rows)} if "sustained" in middle else {})})
    return combined


def main(names: list[str]) -> int:
    # A rebuild, the consumer's stages and the baselines beside them run in this process: with the garbage
    # collector set as the workers and the ops tool set it (eventkit/process_gc.py), figures and baselines alike.
    collect_less()
    rows, phases, started = [], [], time.time()
    path = RESULTS / f"{datetime.now(timezone.utc):%Y%m%dT%H%M%SZ}.json"
    for name in names or MODULES:
        module, runs = importlib.import_module(f"bench.{name}"), []
        for n in range(REPEAT):
            print(f"[bench] {name}, run {n + 1} of {REPEAT} ...", file=sys.stderr, flush=True)
            with cpu.phase(f"{name}, the whole module"):
                runs.append(module.run())
            phases.extend(cpu.take())
        rows.extend(combine(runs))
        _save(path, started, rows, phases)  # after every module: an hour's run stopped midway keeps what it measured
    print(table(rows))
    print(f"\nIssue 15's targets (medians of {REPEAT} runs; baselines measured in the same runs):")
    print(targets_table(rows))
    print("\nCPU by process:")
    print(cpu_lines(phases))
    print(f"\nresults: {path}")
    return 0


def _save(path: Path, started: float, rows: list[dict], phases: list[dict]) -> None:
    RESULTS.mkdir(exist_ok=True)
    path.write_text(json.dumps({"started": started, "seconds": time.time() - started, "machine": platform.node(),
                                "python": platform.python_version(), "repeat": REPEAT, "results": rows,
                                "targets": [{k: v for k, v in t.items() if k not in ("row", "ceiling")}
                                            for t in targets.check(rows)],
                                "cpu": phases}, indent=2, default=str))


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
        return _figure(r["value"], r["unit"]) + _spread(r) + (f" ({ratio:.3f} of baseline)" if ratio else ""), ratio

    lines = [("benchmark", f"A: {Path(a).stem}", f"B: {Path(b).stem}", "B/A")]
    for name in names:
        (ta, ra), (tb, rb) = cell(runs[0].get(name)), cell(runs[1].get(name))
        both = runs[0].get(name) and runs[1].get(name)
        change = f"{runs[1][name]['value'] / runs[0][name]['value']:.2f}x" if both and runs[0][name]["value"] else "-"
        lines.append((name, ta, tb, change))
    return "\n".join(_columns(lines))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--compare"]:
        if len(sys.argv) != 4:
            sys.exit("usage: python -m bench --compare A B   (two files in bench-results/)")
        print(compare(sys.argv[2], sys.argv[3]))
        sys.exit(0)
    sys.exit(main(sys.argv[1:]))
