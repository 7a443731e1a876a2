"""The command line: `python -m ops <command> ...`; each command is a small function below."""
from __future__ import annotations

import argparse
import json
import sys
from typing import Mapping, TextIO

from eventkit.rebuild import RebuildFailed

from . import dead_letters, events, lag, projections
from .records import Filters
from .render import event_json, event_line, table
from .settings import Settings, from_env


def _events_tail(s: Settings, a, out: TextIO) -> int:
    topics = [s.topic(t) for t in a.topic] or s.event_topics()
    emit = _emitter(s, a, out)
    if not a.json:
        print(f"tailing {', '.join(s.short(t) for t in topics)} (Ctrl-C to stop)", file=sys.stderr)
    events.tail(s, topics, _filters(a), emit, from_beginning=a.from_beginning, max_events=a.max, timeout=a.timeout)
    return 0


def _events_history(s: Settings, a, out: TextIO) -> int:
    emit = _emitter(s, a, out)
    for record in events.history(s, _filters(a)):
        emit(record)
    return 0


def _lag(s: Settings, a, out: TextIO) -> int:
    groups, positions, leaders = lag.consumer_groups(s), lag.projections(s), lag.relay_leaders(s)
    if a.json:
        print(json.dumps({"consumer_groups": groups, "projections": positions, "relay_leaders": leaders}), file=out)
    else:
        print("Consumer groups (committed offsets in Kafka)", file=out)
        print(table(groups, ["group", "topic", "partition", "committed", "head", "lag"]), file=out)
        print("\nProjections (positions in each service's database)", file=out)
        print(table(positions, ["service", "projection", "topic", "partition", "position", "head", "lag",
                                "updated_at"]), file=out)
        print("\nRelay leaders (the worker whose relay holds each service's lock and publishes)", file=out)
        print(table(leaders, ["service", "holder", "backend_pid", "client"]), file=out)
    return 0


def _dead_letters(s: Settings, a, out: TextIO) -> int:
    if a.action == "list":
        done = dead_letters.retried(s)
        rows = [letter.summary(done) for letter in dead_letters.all_dead_letters(s)]
        print(json.dumps(rows) if a.json else table(rows, ["id", "consumer", "topic", "at", "tenant", "type",
                                                            "event", "retried", "error"]), file=out)
    elif a.action == "show":
        letter = dead_letters.find(s, _one_id(a))
        print(json.dumps({"id": letter.id, "headers": letter.record.headers, "key": letter.record.key,
                          "data": letter.record.data}, indent=None if a.json else 2), file=out)
    elif not a.all:
        letter = dead_letters.find(s, _one_id(a))
        print(f"{letter.id} {letter.dlq('consumer')} {letter.record.ce('type')}: {dead_letters.retry(s, letter)}",
              file=out)
    else:
        done = dead_letters.retried(s)
        for letter in dead_letters.all_dead_letters(s):
            if (a.consumer and letter.dlq("consumer") != a.consumer) or (
                    a.tenant and letter.record.ce("tenantid") != a.tenant):
                continue
            try:
                outcome = "already retried" if letter.id in done else dead_letters.retry(s, letter)
            except dead_letters.NotFound as error:  # one consumer we cannot reach must not stop the rest
                outcome = f"skipped: {error}"
            print(f"{letter.id} {letter.dlq('consumer')} {letter.record.ce('type')}: {outcome}", file=out)
    return 0


def _projections(s: Settings, a, out: TextIO) -> int:
    if a.action == "list":
        rows = projections.listing(s)
        print(json.dumps(rows) if a.json else table(rows, ["service", "projection", "serving", "topics"]), file=out)
        return 0
    if not a.name:
        raise SystemExit("projections rebuild NAME: name the projection (see `projections list`)")
    result = projections.run_rebuild(s, a.name, keep_old=a.keep_old, processes=a.processes)
    print(json.dumps(result) if a.json else
          f"{result['projection']} now serves from {result['table']}: {result['events']} events in "
          f"{result['seconds']} s ({result['events_per_second']} events/s)", file=out)
    return 0


def _one_id(a) -> str:
    if not a.id:
        raise SystemExit("name a dead letter id (see `dead-letters list`), or use --all to retry all")
    return a.id


def _filters(a) -> Filters:
    return Filters(tuple(a.type or ()), a.tenant, a.customer, a.user)


def _emitter(s: Settings, a, out: TextIO):
    def emit(record):
        print(event_json(record, s.short(record.topic)) if a.json else event_line(record, s.short(record.topic)),
              file=out, flush=True)
    return emit


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="portico-ops", description="Watch and repair Portico's event streams.")
    p.add_argument("--json", action="store_true", help="JSON output (one object per line for events)")
    sub = p.add_subparsers(dest="command", required=True)
    ev = sub.add_parser("events", help="read events").add_subparsers(dest="action", required=True)
    for name in ("tail", "history"):
        c = ev.add_parser(name, help="follow topics live" if name == "tail" else "one customer's or user's events")
        c.add_argument("--type", action="append", help="event type or glob, e.g. 'portico.identity.customer.*'")
        c.add_argument("--tenant")
        c.add_argument("--customer", help="customer id")
        c.add_argument("--user", help="user id")
        c.add_argument("--json", action="store_true", default=argparse.SUPPRESS)
        if name == "tail":
            c.add_argument("--topic", action="append", default=[], help="identity, portico.invitations, ... (all)")
            c.add_argument("--from-beginning", action="store_true")
            c.add_argument("--max", type=int, help="stop after this many events")
            c.add_argument("--timeout", type=float, help="stop after this many seconds")
        c.set_defaults(run=_events_tail if name == "tail" else _events_history)
    sub.add_parser("lag", help="consumer groups' and projections' lag").set_defaults(run=_lag)
    dl = sub.add_parser("dead-letters", help="list, show, retry dead letters")
    dl.add_argument("action", choices=["list", "show", "retry"])
    dl.add_argument("id", nargs="?", help="a dead letter's id: <partition>:<offset>")
    dl.add_argument("--all", action="store_true", help="retry every dead letter not retried yet")
    dl.add_argument("--consumer", help="with --all: only this consumer's dead letters")
    dl.add_argument("--tenant", help="with --all: only this tenant's dead letters")
    dl.set_defaults(run=_dead_letters)
    pr = sub.add_parser("projections", help="list projections; rebuild one beside the live copy")
    pr.add_argument("action", choices=["list", "rebuild"])
    pr.add_argument("name", nargs="?")
    pr.add_argument("--keep-old", action="store_true", help="keep the replaced table instead of dropping it")
    pr.add_argument("--processes", type=int, help="processes reading the topics (default: one a core)")
    pr.set_defaults(run=_projections)
    return p


def main(argv: list[str] | None = None, env: Mapping[str, str] | None = None, out: TextIO | None = None) -> int:
    args = parser().parse_args(argv)
    if args.command == "events" and args.action == "history" and not (args.customer or args.user):
        raise SystemExit("events history needs --customer ID or --user ID")
    try:
        return args.run(from_env(env), args, out or sys.stdout)
    except (dead_letters.NotFound, RebuildFailed, KeyboardInterrupt) as stop:
        if isinstance(stop, KeyboardInterrupt):
            return 130
        raise SystemExit(str(stop))
