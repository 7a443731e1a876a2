"""The documents service's Flask application."""
from __future__ import annotations

from flask import Flask

import contracts
from eventkit import apidocs, json_responses, observability, problems, read_your_writes, requests

from .. import config
from ..bootstrap import bootstrap
from ..domain.errors import DomainError
from . import documents_api, erp_api, request_connection, rfqs_api, visibility_api


DESCRIPTION = ("Quotes, orders, invoices, A/R statements and shipments: published by the ERP, each shown only to "
               "the portal users who may see it; requests for quote from the portal.")


# What the ERP sends to publish and withdraw documents (entrypoints/auth.erp).
ERP_KEY = {"type": "http", "scheme": "bearer",
           "description": "The tenant's ERP API key (`perp_...`), made with "
                          "`python -m documents.entrypoints.admin_cli erp-key-create`; stored only hashed."}


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app; wiring happens here, at start-up, never at import."""
    settings = config.load(test_config)
    app = Flask(__name__)
    app.config.update(settings)
    documents = bootstrap(settings)
    app.extensions["documents"] = documents
    problems.init_app(app)
    problems.register_domain_errors(app, DomainError)
    requests.init_app(app)
    json_responses.init_app(app)
    request_connection.init_app(app)
    observability.init_app(app, settings["SERVICE_NAME"], documents.pool, settings["KAFKA_BOOTSTRAP"])
    for blueprint in (erp_api.bp, documents_api.bp, visibility_api.bp, rfqs_api.bp):
        app.register_blueprint(blueprint)
    read_your_writes.init_app(app, contracts.TOPICS)
    apidocs.init_app(app, "Portico documents", "1.0.0", DESCRIPTION, public=lambda view: False,
                     schemes={"erpKey": ERP_KEY})
    return app
