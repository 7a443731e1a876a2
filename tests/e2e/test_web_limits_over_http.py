"""The web apps as gunicorn runs them: reads that wait never take the threads everyone else needs, and
what gunicorn refuses before the app sees it is an RFC 9457 problem like every other answer."""
from __future__ import annotations

import socket
import threading
from urllib.parse import urlparse

import requests

from ..conftest import eventually

NEVER_REACHED = "portico.identity:0:999999999999"  # a position this stack never writes: the read waits


def test_reads_waiting_for_their_position_leave_threads_for_health_checks_and_say_so_when_over_the_cap(
        stack, http_staff_headers, tenant):
    url, headers = stack.url("identity"), http_staff_headers(tenant)
    prefix = stack.envs["identity"]["PORTICO_TOPIC_PREFIX"]
    answers: list[requests.Response] = []

    def wait_for_a_write_that_never_comes():
        answers.append(requests.get(f"{url}/v1/tenants/{tenant}/customers", headers=headers, timeout=60,
                                    params={"after": prefix + NEVER_REACHED}))
    waiting = [threading.Thread(target=wait_for_a_write_that_never_comes) for _ in range(6)]
    for thread in waiting:
        thread.start()
    try:
        # One caller may keep only a few reads waiting in each of gunicorn's two processes: the rest are
        # told at once (before the first waiting one gives up), with Retry-After, not held.
        def told_at_once():
            refused = [a for a in list(answers) if a.json().get("reason") == "too_many_waiting"]
            assert len(refused) >= 2, [a.json() for a in answers]
            return refused
        for refused in eventually(told_at_once, timeout=30):
            assert refused.status_code == 503 and refused.headers["Retry-After"] == "1"
            assert refused.headers["Content-Type"] == "application/problem+json"
        # While the others still wait, health checks (either process) answer.
        for _ in range(6):
            assert requests.get(f"{url}/health/live", timeout=10).status_code == 200
        assert any(thread.is_alive() for thread in waiting), "the waiting reads ended before the health checks"
    finally:
        for thread in waiting:
            thread.join(timeout=60)
    timed_out = [a for a in answers if "reason" not in a.json()]
    assert timed_out and all(a.json()["code"] == "read.position_not_reached" for a in timed_out)


def assert_problem(response: requests.Response, status: int, code: str) -> None:
    assert response.status_code == status, response.text[:300]
    assert response.headers["Content-Type"] == "application/problem+json", response.text[:300]
    body = response.json()
    assert body["status"] == status and body["code"] == code and body["title"] and body["detail"]
    assert "<html" not in response.text


def test_a_header_too_large_for_gunicorn_is_a_problem(stack):
    response = requests.get(f"{stack.url('identity')}/health/live", headers={"X-Padding": "a" * 100_000}, timeout=10)
    assert_problem(response, 431, "request.headers_too_large")


def test_a_request_line_too_long_for_gunicorn_is_a_problem(stack):
    response = requests.get(f"{stack.url('invitations')}/health/live?q={'a' * 10_000}", timeout=10)
    assert_problem(response, 414, "request.line_too_long")


def test_a_request_that_is_not_http_is_a_problem(stack):
    where = urlparse(stack.url("identity"))
    with socket.create_connection((where.hostname, where.port), timeout=10) as conn:
        conn.sendall(b"GET /health/live HTTP/1.1\r\nHost: x\r\nBad Header Name: y\r\n\r\n")
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400 ") and b"Content-Type: application/problem+json" in head
    assert b'"code": "request.malformed"' in body
