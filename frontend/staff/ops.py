"""The ops view: the tenant's live event stream as server-sent events, consumer lag and dead letters,
read from Kafka with the ops tool's own functions (never from a service's database)."""
from __future__ import annotations

import json
import queue
import threading

from flask import Blueprint, Response, abort, current_app, render_template, request, session, stream_with_context

from ops import dead_letters, lag
from ops.events import tail
from ops.records import Filters
from ops.render import event_json
from ops.settings import Settings

from ..sessions import staff_required

bp = Blueprint("staff_ops", __name__, url_prefix="/staff/ops")
OPERATORS = {"system-administrator"}


def _settings() -> Settings:
    return Settings(bootstrap=current_app.config["KAFKA_BOOTSTRAP"], prefix=current_app.config["TOPIC_PREFIX"])


def _operator_only() -> None:
    if not OPERATORS & set(session["user"].get("roles") or []):
        abort(403, "The ops view is for system administrators.")


@bp.get("")
@staff_required
def index():
    _operator_only()
    settings, tenant = _settings(), current_app.config["TENANT"]
    try:
        groups, error = _per_group(lag.consumer_groups(settings)), None
        letters = [d.summary({}) for d in dead_letters.all_dead_letters(settings)
                   if d.record.ce("tenantid") == tenant]
    except Exception as failure:  # the broker down must not take the page with it
        groups, letters, error = [], [], f"Kafka does not answer: {type(failure).__name__}"
    return render_template("staff/ops.html", groups=groups, letters=letters, error=error,
                           topics=[settings.short(t) for t in settings.event_topics()])


def _per_group(partitions: list[dict]) -> list[dict]:
    """One row per consumer group and topic: its lag summed over the partitions."""
    rows: dict[tuple, dict] = {}
    for p in partitions:
        row = rows.setdefault((p["group"], p["topic"]), {"group": p["group"], "topic": p["topic"], "partitions": 0,
                                                          "committed": 0, "head": 0, "lag": 0})
        row["partitions"] += 1
        for key in ("committed", "head", "lag"):
            row[key] += p[key]
    return sorted(rows.values(), key=lambda r: (-r["lag"], r["group"], r["topic"]))


@bp.get("/events")
@staff_required
def events():
    """Server-sent events: the tenant's events as they arrive, filtered by topic and type."""
    _operator_only()
    settings = _settings()
    topics = [settings.topic(t) for t in request.args.getlist("topic")] or settings.event_topics()
    types = tuple(t for t in request.args.get("type", "").split(",") if t.strip())
    filters = Filters(types=types, tenant=current_app.config["TENANT"])
    arrived: queue.Queue = queue.Queue(maxsize=1000)
    stop = threading.Event()
    reader = threading.Thread(target=tail, daemon=True, kwargs=dict(
        settings=settings, topics=topics, filters=filters, stop=stop, timeout=600,
        emit=lambda r: arrived.put(event_json(r, settings.short(r.topic))),
        on_ready=lambda: arrived.put(None)))
    reader.start()

    def stream():
        try:
            while reader.is_alive() or not arrived.empty():
                try:
                    item = arrived.get(timeout=15)
                except queue.Empty:
                    yield ": still here\n\n"
                    continue
                yield "event: ready\ndata: {}\n\n" if item is None else f"data: {item}\n\n"
        finally:
            stop.set()

    return Response(stream_with_context(stream()), mimetype="text/event-stream",
                    headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})
