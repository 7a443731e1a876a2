"""Helpers for latency benchmarks over HTTP on loopback: a service under gunicorn with production's settings,
a JWKS to verify its callers' tokens, and latencies' percentiles (the load comes from bench/open_loop.py)."""
from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"  # the processes and threads every deployment runs


def serve_jwks(jwks: dict) -> ThreadingHTTPServer:
    """The key set on a loopback port, as identity serves it at /.well-known/jwks.json."""
    body = json.dumps(jwks).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def start_web(service: str, env: dict, log: Path) -> tuple[subprocess.Popen, str]:
    """The service's web app under gunicorn on a free loopback port, once it answers; (process, URL)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "PYTHONPATH": f"{ROOT}:{ROOT / 'services'}", "PORTICO_LOG_LEVEL": "WARNING", **env}
    argv = [str(Path(sys.executable).parent / "gunicorn"), "-c", str(GUNICORN_CONF), "--bind", f"127.0.0.1:{port}",
            f"{service}.entrypoints.app:create_app()"]
    web = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=open(log, "wb"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if requests.get(f"{url}/health/ready", params={"check": "database"}, timeout=2).status_code == 200:
                return web, url
        except requests.RequestException:  # not listening yet, or still booting
            pass
        if web.poll() is not None:
            break
        time.sleep(0.2)
    web.terminate()
    raise RuntimeError(f"{service} did not start under gunicorn:\n{log.read_text()[-2000:]}")


def p50_p99_ms(latencies: list[float]) -> tuple[float, float]:
    """The median and the 99th percentile, in ms."""
    cuts = statistics.quantiles(latencies, n=100)
    return cuts[49] * 1000, cuts[98] * 1000


def p50_p99_rows(benchmark: str, latencies: list[float], baseline: list[float], baseline_name: str,
                 notes: str) -> list[dict]:
    """A latency benchmark's two rows, p50 and p99 in ms beside the baseline's; `benchmark` names them
    with {} where the cut goes."""
    rows = zip(("p50", "p99"), p50_p99_ms(latencies), p50_p99_ms(baseline), (notes, None))
    return [{"benchmark": benchmark.format(cut), "value": value, "unit": "ms", "baseline": base,
             "baseline_name": baseline_name, **({"notes": note} if note else {})}
            for cut, value, base, note in rows]
