"""The invitations service's Flask application."""
from __future__ import annotations

from flask import Flask

import contracts
from eventkit import apidocs, json_responses, observability, problems, read_your_writes, requests

from .. import config
from ..bootstrap import bootstrap
from ..domain.errors import DomainError
from . import batches_api, candidates_api, http, invitations_api, review_api, settings_api

DESCRIPTION = ("Username administrators, bulk invitations and their acceptance. Reads that take `after` wait "
               "until they show the change whose `Portico-Position` header you pass.")


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app; wiring happens here, at start-up, never at import."""
    settings = config.load(test_config)
    app = Flask(__name__)
    app.config.update(settings)
    invitations = bootstrap(settings)
    app.extensions["invitations"] = invitations
    problems.init_app(app)
    problems.register_domain_errors(app, DomainError)
    requests.init_app(app)
    json_responses.init_app(app)
    http.init_app(app)
    observability.init_app(app, settings["SERVICE_NAME"], invitations.pool, settings["KAFKA_BOOTSTRAP"])
    read_your_writes.init_app(app, contracts.TOPICS)
    app.register_blueprint(candidates_api.bp)
    for blueprint in (settings_api.bp, batches_api.bp, invitations_api.bp, review_api.bp):
        app.register_blueprint(blueprint)
    apidocs.init_app(app, "Portico invitations", "1.0.0", DESCRIPTION,
                     public=lambda view: getattr(view, "public", False))
    return app
