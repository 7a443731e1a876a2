"""CPU seconds by process while a benchmark runs, for the figures' CPU per event.

`with cpu.phase("name", events):` samples /proc every SAMPLE_EVERY s while the block runs and keeps, per
kind of process, the CPU (user + system) it used: this benchmark process, its children (the services'
web and worker processes, the load generator), the PostgreSQL backends serving the run's databases
(`bench_*`, or the
databases a phase names) and the Kafka broker. A process that ends between two samples loses at most its last
SAMPLE_EVERY s. The broker is shared with whatever else the machine runs, so its figure is an upper bound.
`make bench` takes each module's phases with take() and puts them in the run's file.
"""
from __future__ import annotations

import os
import threading
import time
from contextlib import contextmanager
from pathlib import Path

SAMPLE_EVERY = 0.5
TICK = os.sysconf("SC_CLK_TCK")
PROC = Path("/proc")
_phases: list[dict] = []


def _stat(pid: str) -> tuple[int, float] | None:
    """(parent pid, CPU s) of a process, or None once it is gone."""
    try:
        text = (PROC / pid / "stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2:].split()  # after the command name, which may hold spaces
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / TICK


def _cmdline(pid: str) -> str:
    try:
        return (PROC / pid / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def kind_of(cmdline: str, descendant: bool, databases: tuple[str, ...] = ("bench_",)) -> str | None:
    """Which row a process's CPU goes in, from its command line; None for processes not measured.
    `databases`: the run's database names (or their prefix), whose PostgreSQL backends count."""
    if descendant:
        if "bench.open_loop" in cmdline:
            return "load generator"
        if "gunicorn" in cmdline:
            return "web"
        if "entrypoints.worker" in cmdline:
            return "workers"
        return "other children"
    if cmdline.startswith("postgres: ") and any(f" {name}" in cmdline for name in databases):
        return "PostgreSQL"
    if "java" in cmdline and "kafka" in cmdline.lower():
        return "Kafka (shared)"
    return None


class Sampler:
    """The CPU each measured process used since start(), by kind."""

    def __init__(self, databases: tuple[str, ...] = ("bench_",)):
        self.databases = databases
        self.me, self.kinds, self.first, self.last = str(os.getpid()), {}, {}, {}
        self._stop, self._thread = threading.Event(), None

    def _scan(self, starting: bool) -> None:
        stats = {pid: s for pid in os.listdir(PROC) if pid.isdigit() and (s := _stat(pid))}
        parents = {pid: str(s[0]) for pid, s in stats.items()}
        for pid, (_, seconds) in stats.items():
            if pid not in self.kinds or self.kinds[pid] == "other children":  # forked, not yet exec'd
                up, descendant = pid, False
                while up in parents and up != "1":
                    if up == self.me:
                        descendant = True
                        break
                    up = parents[up]
                self.kinds[pid] = ("benchmark process" if pid == self.me
                                   else kind_of(_cmdline(pid), descendant, self.databases))
                # a process that was there at the start counts from then; one started since, from its start
                self.first.setdefault(pid, seconds if starting else 0.0)
            if self.kinds[pid]:
                self.last[pid] = seconds

    def start(self) -> "Sampler":
        self._scan(starting=True)

        def loop():
            while not self._stop.wait(SAMPLE_EVERY):
                self._scan(starting=False)
        self._thread = threading.Thread(target=loop, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> dict[str, float]:
        self._stop.set()
        self._thread.join()
        self._scan(starting=False)
        used: dict[str, float] = {}
        for pid, seconds in self.last.items():
            used[self.kinds[pid]] = used.get(self.kinds[pid], 0.0) + seconds - self.first[pid]
        return {kind: round(seconds, 3) for kind, seconds in sorted(used.items())}


@contextmanager
def phase(name: str, events: int | None = None, databases: tuple[str, ...] = ("bench_",)):
    """Measure the block's CPU by process; `events`: what the per-event figures divide by; `databases`: the
    names of the run's databases (by default any bench_* database: other runs' too, if any run alongside)."""
    sampler, started = Sampler(databases).start(), time.monotonic()
    try:
        yield
    finally:
        used = sampler.stop()
        record = {"phase": name, "events": events, "seconds": round(time.monotonic() - started, 1), "cpu_s": used}
        if events:
            record["cpu_us_per_event"] = {kind: round(s / events * 1e6, 1) for kind, s in used.items()}
        _phases.append(record)


def take() -> list[dict]:
    """The phases measured since the last take()."""
    taken = list(_phases)
    _phases.clear()
    return taken


def ceiling(record: dict, cores: int | None = None) -> str:
    """The most events a second this machine's cores could take at a phase's CPU per event, all of it
    together: a ceiling from CPU alone, for a target out of reach. (The broker's share may hold other work
    of the machine's, so the ceiling is if anything low.)"""
    cores = cores or os.cpu_count() or 1
    total = sum(record["cpu_us_per_event"].values())
    return f"{total:,.0f} µs in all: at most {cores * 1e6 / total:,.0f} a second on {cores} cores"


def words(record: dict) -> str:
    """One phase in a line: CPU per event by process (or CPU seconds when it counted no events)."""
    if record.get("cpu_us_per_event"):
        parts = [f"{kind} {us:,.0f} µs" for kind, us in record["cpu_us_per_event"].items()]
        return f"{record['phase']} ({record['events']:,} events, {record['seconds']:.0f} s): CPU per event " \
               + ", ".join(parts) + f"; {ceiling(record)}"
    parts = [f"{kind} {s:,.1f} s" for kind, s in record["cpu_s"].items()]
    return f"{record['phase']} ({record['seconds']:.0f} s): CPU " + ", ".join(parts)
