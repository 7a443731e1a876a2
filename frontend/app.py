"""The frontend's Flask application: staff console under /staff, customer portal at the root."""
from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from flask import Flask, current_app, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from . import api, company, config, csrf, oidc, sessions, sign_in_security, words
from .portal import account, documents, links, registration
from .staff import (auth, clients, contacts, customers, deliveries, forgetting, imports, invitations, ops, portal_users,
                    rfqs, roles, settings, visibility, wording)


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app; wiring happens here, at start-up, never at import."""
    app = Flask(__name__)
    app.config.update(config.load(test_config))
    app.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
                      SESSION_COOKIE_SECURE=app.config["SECURE_COOKIES"], SESSION_COOKIE_NAME="portico_web",
                      PERMANENT_SESSION_LIFETIME=timedelta(hours=8), MAX_CONTENT_LENGTH=20 * 1024 * 1024)
    csrf.init_app(app)
    company.init_app(app)
    oidc.init_app(app)
    app.jinja_env.globals["current_user"] = sessions.user
    app.jinja_env.filters.update(words.FILTERS, event_name=_event_name, **wording.FILTERS,
                                 second_factor_name=sign_in_security.METHOD_NAMES.get)
    app.jinja_env.globals["staff_role"] = roles.current
    for blueprint in (auth.bp, customers.bp, contacts.bp, portal_users.bp, imports.bp, invitations.bp, settings.bp,
                      deliveries.bp, ops.bp, clients.bp, rfqs.bp, visibility.bp, account.bp, registration.bp,
                      documents.bp, links.bp, forgetting.bp):
        app.register_blueprint(blueprint)
    app.register_blueprint(sign_in_security.blueprint("portal_security", "", sessions.portal_required, "portal/base.html"))
    app.register_blueprint(sign_in_security.blueprint("staff_security", "/staff", sessions.staff_required,
                                                      "staff/base.html"))
    _errors(app)
    app.after_request(_security_headers)

    @app.get("/health/ready")
    @app.get("/health/live")
    def health():
        return jsonify(status="ok")

    return app


def _security_headers(response):
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    # The logout form's answer redirects to identity's end-session page: form-action covers that redirect.
    identity = urlsplit(current_app.config["IDENTITY_URL"])
    response.headers.setdefault("Content-Security-Policy",
                                "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                                f"frame-ancestors 'none'; form-action 'self' {identity.scheme}://{identity.netloc}")
    return response


# What a person reads when a request fails before any service is asked (a path with no page, a form sent
# the wrong way): the site's own page, the status kept.
HTTP_WORDS = {400: ("request.invalid", "The request could not be understood."),
              403: ("request.forbidden", "You may not open this page."),
              404: ("page.not_found", "There is no such page here."),
              405: ("request.method_not_allowed", "This page cannot be used that way: go back and use its links "
                                                  "and buttons."),
              413: ("request.too_large", "What you sent is too large.")}


def _errors(app: Flask) -> None:
    @app.errorhandler(api.ApiProblem)
    def problem(error: api.ApiProblem):
        if request.accept_mimetypes.best == "application/json" or request.path.endswith(".json"):
            return jsonify(code=error.code, detail=error.detail, errors=error.errors), error.status
        return render_template("error.html", problem=error), error.status

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        code, words = HTTP_WORDS.get(error.code, ("request.failed", "The request could not be handled."))
        said = error.description if error.description != type(error).description else words
        answer, status = problem(api.ApiProblem(error.code, code, said))
        allowed = getattr(error, "valid_methods", None)
        headers = {"Allow": ", ".join(allowed)} if allowed else {}
        return answer, status, headers


def _event_name(event_type: str) -> str:
    """portico.identity.customer.contact_added -> customer contact added."""
    return " ".join(str(event_type).split(".")[2:]).replace("_", " ")
