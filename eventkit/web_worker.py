"""The gunicorn worker every Portico web app runs (deploy/gunicorn.conf.py): threads, and problems.

Threads (gunicorn's gthread worker) because a read that waits for `after` or `Prefer: wait` sleeps
in its request: with sync workers two such reads held every worker and `/health/live` with them;
eventkit/waiting.py keeps waiting reads to a few of the threads, so the others always serve.

gunicorn answers what it refuses before the app sees it (a request line or header over its limits,
malformed HTTP) with an HTML page; this worker answers those as RFC 9457 problems like everything else.
"""
from __future__ import annotations

import json

from gunicorn import util
from gunicorn.http import errors
from gunicorn.workers.gthread import ThreadWorker

from .process_gc import collect_less

MEDIA_TYPE = "application/problem+json"
_REASONS = {400: "Bad Request", 403: "Forbidden", 414: "URI Too Long", 431: "Request Header Fields Too Large",
            500: "Internal Server Error", 501: "Not Implemented"}


def problem_bytes(status: int, code: str, title: str, detail: str) -> bytes:
    """A whole HTTP/1.1 answer carrying one problem; the connection closes after it."""
    body = json.dumps({"type": f"urn:portico:problem:{code}", "title": title, "status": status, "code": code,
                       "detail": detail}).encode()
    head = (f"HTTP/1.1 {status} {_REASONS.get(status, 'Error')}\r\nConnection: close\r\n"
            f"Content-Type: {MEDIA_TYPE}\r\nContent-Length: {len(body)}\r\n\r\n")
    return head.encode("latin-1") + body


def refusal(exc: Exception, cfg) -> tuple[int, str, str, str] | None:
    """(status, code, title, detail) for a request gunicorn refuses to parse; None for anything else."""
    if isinstance(exc, errors.LimitRequestLine):
        return (414, "request.line_too_long", "Address too long",
                f"The request line (method, address and query) may have at most {cfg.limit_request_line} "
                "characters; send long values in the body instead.")
    if isinstance(exc, errors.LimitRequestHeaders):
        return (431, "request.headers_too_large", "Headers too large",
                f"A request may have at most {cfg.limit_request_fields} headers of at most "
                f"{cfg.limit_request_field_size} bytes each; send large values in the body instead.")
    if isinstance(exc, errors.UnsupportedTransferCoding):
        return (501, "request.unsupported_transfer_coding", "Transfer coding not supported",
                "Send the body with Content-Length or chunked transfer coding.")
    if isinstance(exc, errors.ForbiddenProxyRequest):
        return 403, "request.forbidden_proxy", "Not allowed", "This address may not send proxied requests."
    if isinstance(exc, errors.ParseException) and not isinstance(exc, errors.ConfigurationProblem):
        return (400, "request.malformed", "Malformed request",
                "The request is not valid HTTP/1.1 (its request line or a header cannot be read).")
    return None


def _write_problem(sock, status_int, reason, mesg) -> None:
    """gunicorn's own error page (an unexpected error in a worker) as a problem instead of HTML."""
    title = "Internal error" if status_int >= 500 else reason
    detail = "Something broke on our side; it was logged." if status_int >= 500 else "The request was refused."
    util.write_nonblock(sock, problem_bytes(status_int, "server.error" if status_int >= 500 else "request.refused",
                                            title, detail))


class ProblemWorker(ThreadWorker):
    """gunicorn's threaded worker whose refusals are RFC 9457 problems, collecting garbage as seldom as the
    service workers do (eventkit/process_gc.py) once the app is loaded."""

    def init_process(self):
        # gunicorn has no hook for its error page; its handle_error looks write_error up on the module
        # at each call, so replacing it here, in the worker process, covers every path that writes one.
        util.write_error = _write_problem
        super().init_process()

    def load_wsgi(self):
        super().load_wsgi()
        collect_less()  # the app is wired: a request allocates thousands of objects, a document list more

    def handle_error(self, req, client, addr, exc):
        refused = refusal(exc, self.cfg)
        if refused is None:
            return super().handle_error(req, client, addr, exc)
        self.log.warning("refused a request from ip=%s: %s", (addr or ("",))[0], exc)
        try:
            util.write_nonblock(client, problem_bytes(*refused))
        except OSError:
            self.log.debug("could not send the refusal")
