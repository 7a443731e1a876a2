"""The notifications service's Flask application."""
from __future__ import annotations

from flask import Flask

from eventkit import apidocs, json_responses, observability, problems, requests
from eventkit.problems import Problem, problem_response

from .. import config
from ..bootstrap import bootstrap
from ..domain.errors import DomainError, TemplateInvalid
from . import deliveries_api, settings_api, templates_api

DESCRIPTION = ("E-mail templates per tenant (with preview), sender settings and the delivery log. The e-mails "
               "themselves are sent by the worker, in answer to identity's and invitations' events.")


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app; wiring happens here, at start-up, never at import."""
    settings = config.load(test_config)
    app = Flask(__name__)
    app.config.update(settings)
    notifications = bootstrap(settings)
    app.extensions["notifications"] = notifications
    problems.init_app(app)
    problems.register_domain_errors(app, DomainError)
    app.register_error_handler(TemplateInvalid, _template_invalid)
    requests.init_app(app)
    json_responses.init_app(app)
    observability.init_app(app, settings["SERVICE_NAME"], notifications.pool, settings["KAFKA_BOOTSTRAP"])
    for blueprint in (templates_api.bp, settings_api.bp, deliveries_api.bp):
        app.register_blueprint(blueprint)
    apidocs.init_app(app, "Portico notifications", "1.0.0", DESCRIPTION, public=lambda view: False)
    return app


def _template_invalid(error: TemplateInvalid):
    """422 naming each part that does not render and the line in it."""
    errors = [{"field": p["field"], "pointer": f"#/{p['field']}", "line": p["line"], "detail": p["detail"]}
              for p in error.problems]
    return problem_response(Problem(error.status, error.code, error.title, str(error), errors))
