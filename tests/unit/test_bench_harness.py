"""`make bench`'s arithmetic: three runs become a median with its spread, issue 15's targets read the right
rows, and a run kept before the repeats still compares with one kept after."""
from __future__ import annotations

import json

import pytest

from bench import latency
from bench.__main__ import combine, compare, targets_table
from bench.cpu import ceiling, kind_of
from bench.open_loop import Outcome
from bench.targets import check


def _row(value, baseline=None, **extra):
    return {"benchmark": "document list p99, 10,000 documents, 300 requests/s open loop", "value": value,
            "unit": "ms", **({"baseline": baseline} if baseline else {}), **extra}


def test_three_runs_become_the_median_with_the_spread_and_every_value():
    [row] = combine([[_row(30.0, 10.0, sustained=True)], [_row(12.0, 9.0, sustained=True)],
                     [_row(20.0, 11.0, sustained=False)]])
    assert (row["value"], row["spread"], row["values"]) == (20.0, [12.0, 30.0], [30.0, 12.0, 20.0])
    assert row["baseline"] == 10.0 and row["sustained"] is False  # one run that fell behind counts


def test_a_target_is_met_not_met_or_not_run_never_guessed():
    met = {t["target"]: t["met"] for t in check([_row(20.0, 10.0, sustained=True),
                                                 {"benchmark": "identity logins", "value": 7.0, "unit": "logins/s",
                                                  "baseline": 10.0}])}
    assert met["document list p99 at 300/s"] is True and met["logins at Keycloak's cost"] is False
    assert met["customer import end to end"] is None
    unsustained = {t["target"]: t["met"] for t in check([_row(20.0, 10.0, sustained=False)])}
    assert unsustained["document list p99 at 300/s"] is False  # fast, but not at the rate asked
    assert "not run" in targets_table([]) and "NO" in targets_table([_row(26.0, 10.0, sustained=True)])


def test_a_target_beyond_the_libraries_shows_the_ceiling_measured_beside_it():
    rows = [{"benchmark": "customer import: end to end", "value": 1_727.0, "unit": "rows/s", "baseline": 537_457.0},
            {"benchmark": "customer import: ceiling of one kafka-python producer", "value": 5_245.0,
             "unit": "rows/s", "spread": [5_100.0, 5_300.0], "values": [5_100.0, 5_245.0, 5_300.0]}]
    [target] = [t for t in check(rows) if t["target"] == "customer import end to end"]
    assert target["met"] is False and target["ceiling"]["value"] == 5_245.0
    line = next(line for line in targets_table(rows).splitlines() if line.startswith("customer import end to end"))
    assert line.rstrip().endswith("5,245.0 rows/s (5,100.0-5,300.0)")
    document_list = next(line for line in targets_table(rows).splitlines() if line.startswith("document list"))
    assert document_list.rstrip().endswith("-")  # no ceiling measured for it


def test_a_run_kept_before_the_repeats_compares_with_one_kept_after(tmp_path):
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(json.dumps({"results": [_row(86.0, 48.8)]}))
    new.write_text(json.dumps({"results": combine([[_row(v, 9.0)] for v in (20.0, 22.0, 19.0)])}))
    line = compare(str(old), str(new)).splitlines()[2]
    assert "86.0 ms" in line and "20.0 ms (19.0-22.0)" in line and "0.23x" in line


def test_cpu_is_booked_to_the_process_it_was_spent_in():
    assert kind_of("python -m bench.open_loop", descendant=True) == "load generator"
    assert kind_of("gunicorn: worker [documents.entrypoints.app:create_app()]", descendant=True) == "web"
    assert kind_of("python -m identity.entrypoints.worker", descendant=True) == "workers"
    assert kind_of("postgres: portico_admin bench_1a2b_identity 127.0.0.1(5000) idle", False,
                   ("bench_1a2b_identity",)) == "PostgreSQL"
    assert kind_of("postgres: portico_admin portico_identity 127.0.0.1(5001) idle", False,
                   ("bench_1a2b_identity",)) is None  # someone else's database
    assert kind_of("python -m pytest", descendant=False) is None


def test_a_phases_cpu_per_event_says_the_most_the_cores_could_take():
    phase = {"phase": "customer commands at 200/s", "events": 10_000,
             "cpu_us_per_event": {"workers": 4_000.0, "PostgreSQL": 3_000.0, "Kafka (shared)": 1_000.0}}
    assert ceiling(phase, cores=2) == "8,000 µs in all: at most 250 a second on 2 cores"


def test_a_run_stopped_midway_keeps_the_figures_of_the_modules_it_finished(tmp_path, monkeypatch):
    import sys
    import types

    import bench.__main__ as bench_main

    measured = types.ModuleType("bench.fake_measured")
    measured.run = lambda: [{"benchmark": "fake figure", "value": 1.0, "unit": "events/s"}]
    broken = types.ModuleType("bench.fake_broken")
    broken.run = lambda: (_ for _ in ()).throw(RuntimeError("the broker went away"))
    monkeypatch.setitem(sys.modules, "bench.fake_measured", measured)
    monkeypatch.setitem(sys.modules, "bench.fake_broken", broken)
    monkeypatch.setattr(bench_main, "RESULTS", tmp_path)
    monkeypatch.setattr(bench_main, "REPEAT", 1)

    with pytest.raises(RuntimeError, match="the broker went away"):
        bench_main.main(["fake_measured", "fake_broken"])
    [kept] = tmp_path.glob("*.json")
    assert [r["benchmark"] for r in json.loads(kept.read_text())["results"]] == ["fake figure"]


def _paced(late: int, calls: int = 1000) -> Outcome:
    """A generator's outcome: `late` of its calls started 50 ms after they were due, the others on time."""
    due = [n * 0.02 for n in range(calls)]
    return Outcome(keys=[str(n) for n in range(calls)], due=due, done=[d + 0.01 for d in due], workers=8,
                   started=[d + (0.05 if n < late else 0.0) for n, d in enumerate(due)])


@pytest.mark.parametrize("arrived, late, says", [
    (50.0, 0, None),
    (50.0, 100, "the generator did not keep to its schedule"),
    (30.0, 0, "the projection took them in at 30.0/s, not 50/s"),
])
def test_a_latency_rate_is_sustained_only_when_both_kept_up_and_its_note_says_which_did_not(arrived, late, says):
    served, bare = [0.01] * 1000, [0.005] * 1000
    rows = latency.rows_at(50.0, (served, [0.005] * 1000, _paced(late), arrived), (bare, _paced(0), 50.0), 808)
    assert {row["sustained"] for row in rows} == {says is None}
    note = next(row["notes"] for row in rows if row.get("notes"))
    assert ("NOT SUSTAINED" not in note) if says is None else (says in note and note.count("NOT SUSTAINED") == 1)
