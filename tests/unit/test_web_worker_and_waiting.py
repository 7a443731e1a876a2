"""What gunicorn refuses is answered as a problem, and only a few requests per process and per caller wait."""
from __future__ import annotations

import json

from gunicorn.config import Config
from gunicorn.http import errors

from eventkit.waiting import Waiters
from eventkit.web_worker import problem_bytes, refusal


def test_gunicorns_refusals_map_to_problems_a_person_understands():
    cfg = Config()
    assert refusal(errors.LimitRequestLine(9000, 4094), cfg)[:2] == (414, "request.line_too_long")
    assert refusal(errors.LimitRequestHeaders("too large"), cfg)[:2] == (431, "request.headers_too_large")
    assert refusal(errors.InvalidHeaderName("Bad Name"), cfg)[:2] == (400, "request.malformed")
    assert refusal(errors.ConfigurationProblem("x"), cfg) is None  # a 500, also written as a problem
    assert refusal(ValueError("boom"), cfg) is None


def test_a_refusal_is_a_whole_http_answer_with_a_problem_body():
    head, _, body = problem_bytes(431, "request.headers_too_large", "Headers too large", "At most 8190 bytes.") \
        .partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 431 Request Header Fields Too Large\r\n")
    assert b"Content-Type: application/problem+json" in head and f"Content-Length: {len(body)}".encode() in head
    assert json.loads(body) == {"type": "urn:portico:problem:request.headers_too_large", "title": "Headers too large",
                                "status": 431, "code": "request.headers_too_large", "detail": "At most 8190 bytes."}


def test_only_a_few_wait_at_once_per_process_and_per_caller():
    waiters = Waiters(max_requests=3, max_per_caller=2)
    with waiters.turn("a") as first, waiters.turn("a") as second, waiters.turn("a") as third:
        assert (first, second, third) == (True, True, False)  # the caller's cap
        with waiters.turn("b") as other, waiters.turn("c") as over:
            assert (other, over) == (True, False)  # the process's cap
    with waiters.turn("a") as again, waiters.turn("a") as twice:
        assert again and twice  # turns are given back


def test_a_workers_operations_port_refuses_with_problems_too():
    import socket

    import requests
    from prometheus_client import CollectorRegistry

    from eventkit import worker_http

    server = worker_http.serve(0, CollectorRegistry(), {}, lambda: True, host="127.0.0.1")
    url = f"http://127.0.0.1:{server.server_port}"
    try:
        for answer, status in ((requests.get(f"{url}/nothing", timeout=5), 404),
                               (requests.post(f"{url}/health/live", timeout=5), 501),
                               (requests.get(f"{url}/health/live?q={'a' * 70_000}", timeout=5), 414)):
            assert answer.status_code == status and answer.headers["Content-Type"] == "application/problem+json"
            assert answer.json()["status"] == status and answer.json()["code"]
        with socket.create_connection(("127.0.0.1", server.server_port), timeout=5) as conn:
            conn.sendall(b"NOT HTTP AT ALL\r\n\r\n")
            answer = conn.recv(65536)
        assert answer.startswith(b"HTTP/1.") and b"application/problem+json" in answer and b"<html" not in answer
    finally:
        server.shutdown()
