"""The identity service's Flask application."""
from __future__ import annotations

from flask import Flask

import contracts
from eventkit import apidocs, json_responses, observability, problems, read_your_writes, requests

from .. import config
from ..bootstrap import bootstrap
from ..domain.errors import DomainError
from . import auth, auth_api, contacts_api, customers_api, registrations_api, settings_api, staff_api, users_api
from . import bulletin_api, imports_api, oidc_api, personal_data_api, schemas, second_factor_api


DESCRIPTION = ("Customers, contacts, portal and staff users, roles, approvals and login. Commands answer with "
               "a `Portico-Position` header; reads that take `after` wait until they show that change.")


# Ready means a login can be served: it reads and writes these (and appends to the event store).
LOGIN_TABLES = ("events", "outbox", "usernames", "password_credentials", "refresh_tokens", "login_failures")


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app; wiring happens here, at start-up, never at import."""
    settings = config.load(test_config)
    app = Flask(__name__)
    app.config.update(settings)
    identity = bootstrap(settings)
    app.extensions["identity"] = identity
    problems.init_app(app)
    problems.register_domain_errors(app, DomainError)
    requests.init_app(app)
    json_responses.init_app(app)
    observability.init_app(app, settings["SERVICE_NAME"], identity.pool, settings["KAFKA_BOOTSTRAP"],
                           ready_tables=LOGIN_TABLES)
    app.url_map.converters["customer_code"] = schemas.CustomerCodeConverter
    app.register_blueprint(customers_api.bp)
    app.register_blueprint(settings_api.bp)
    app.register_blueprint(bulletin_api.bp)
    app.register_blueprint(contacts_api.bp)
    app.register_blueprint(imports_api.bp)
    auth.init_app(app, identity)
    for blueprint in (users_api.bp, staff_api.bp, registrations_api.bp, auth_api.bp, auth_api.jwks_bp, oidc_api.bp,
                      second_factor_api.bp, personal_data_api.bp):
        app.register_blueprint(blueprint)
    read_your_writes.init_app(app, contracts.TOPICS)
    apidocs.init_app(app, "Portico identity", "1.0.0", DESCRIPTION, public=lambda view: getattr(view, "public", False) and not getattr(view, "service_credential", False))
    return app
