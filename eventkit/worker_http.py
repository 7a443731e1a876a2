"""A worker's operations port: /metrics, /health/live and /health/ready, served from a thread.

The worker has no web app, so this small server answers the same paths the web apps do, and
Kubernetes probes and Prometheus treat both alike.
"""
from __future__ import annotations

import json
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, Mapping
from urllib.parse import parse_qs, urlparse

from . import metrics, readiness
from .outbox import RELAY_LOCK


def serve(port: int, registry, checks: Mapping[str, readiness.Check], alive: Callable[[], bool],
          host: str = "0.0.0.0") -> ThreadingHTTPServer:
    """Start serving on `port` (0 picks a free one: see server.server_port); returns the server."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            url = urlparse(self.path)
            if url.path == "/metrics":
                self._send(200, metrics.exposition(registry), metrics.CONTENT_TYPE)
            elif url.path == "/health/live":
                ok = alive()
                self._json(200 if ok else 503, {"status": "ok" if ok else "stopped"})
            elif url.path == "/health/ready":
                only = set(parse_qs(url.query).get("check", [])) or None
                body, status = readiness.report(checks, only)
                self._json(status, body)
            else:
                self._problem(404, "resource.not_found", "Not found",
                              "This port serves /metrics, /health/live and /health/ready only.")

        def send_error(self, code, message=None, explain=None):
            """What http.server refuses itself (a malformed or too long request line, another method) as
            an RFC 9457 problem, like every other answer, rather than its HTML page."""
            self.close_connection = True
            self.request_version = "HTTP/1.0"  # an unreadable request line leaves 0.9, which has no status line
            self._problem(code, "request.refused", message or "Refused",
                          "This port answers GET /metrics, /health/live and /health/ready only.")

        def _problem(self, status, code, title, detail):
            body = {"type": f"urn:portico:problem:{code}", "title": title, "status": status, "code": code,
                    "detail": detail}
            self._send(status, json.dumps(body).encode(), "application/problem+json")

        def _json(self, status, body):
            self._send(status, json.dumps(body).encode(), "application/json")

        def _send(self, status, payload: bytes, content_type: str):
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args):  # probes every few seconds would drown the log
            pass

    server = ThreadingHTTPServer((host, port), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="ops-port", daemon=True).start()
    return server


def for_service(config: Mapping, pool) -> Callable[[Callable[[], bool]], ThreadingHTTPServer] | None:
    """What `run_forever(..., ops=)` needs to open the worker's port (PORTICO_METRICS_PORT), if set."""
    port = config.get("METRICS_PORT")
    if port in (None, ""):
        return None
    checks = {"database": readiness.database(pool), "broker": readiness.broker(config["KAFKA_BOOTSTRAP"])}
    registry = metrics.registry_for(pool, config["SERVICE_NAME"])
    registry.register(metrics.RelayLeadership(pool, config["SERVICE_NAME"], RELAY_LOCK, os.environ.get("PGAPPNAME", "")))
    return lambda alive: serve(int(port), registry, checks, alive)
