"""The invitations service's Flask application."""
from __future__ import annotations

from flask import Flask

from eventkit import observability, problems, requests

from .. import config
from ..bootstrap import bootstrap
from . import candidates_api


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app; wiring happens here, at start-up, never at import."""
    settings = config.load(test_config)
    app = Flask(__name__)
    app.config.update(settings)
    invitations = bootstrap(settings)
    app.extensions["invitations"] = invitations
    problems.init_app(app)
    requests.init_app(app)
    observability.init_app(app, settings["SERVICE_NAME"], invitations.pool, settings["KAFKA_BOOTSTRAP"])
    app.register_blueprint(candidates_api.bp)
    return app
