"""Serve a service's OpenAPI document at /openapi.json and an interactive page at /docs.

The page is Swagger UI from the swagger-ui-bundle-v2 package (PyPI, in requirements.txt), served by
the service itself: no CDN, so it works offline and behind a strict firewall.
"""
from __future__ import annotations

from typing import Callable

from flask import Blueprint, Flask, current_app, jsonify, send_from_directory, url_for
from swagger_ui_bundle import swagger_ui_path

from . import openapi

_PAGE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>{title}</title>
<link rel="stylesheet" href="{css}"></head>
<body><div id="swagger-ui"></div>
<script src="{js}"></script>
<script>SwaggerUIBundle({{url: "{spec}", dom_id: "#swagger-ui", deepLinking: true}});</script>
</body></html>
"""

bp = Blueprint("openapi", __name__)


@bp.get("/openapi.json")
def document():
    """The service's OpenAPI 3.1 document, built once from its routes."""
    state = current_app.extensions["openapi"]
    if "document" not in state:
        state["document"] = openapi.build(current_app, **state["describe"])
    return jsonify(state["document"])


@bp.get("/docs")
def page():
    """Swagger UI on this service's document: read it and try requests."""
    title = current_app.extensions["openapi"]["describe"]["title"]
    html = _PAGE.format(title=title, css=url_for("openapi.asset", name="swagger-ui.css"),
                        js=url_for("openapi.asset", name="swagger-ui-bundle.js"), spec=url_for("openapi.document"))
    return html, 200, {"Content-Type": "text/html; charset=utf-8"}


@bp.get("/docs/<path:name>")
def asset(name):
    return send_from_directory(str(swagger_ui_path), name, max_age=3600)


def init_app(app: Flask, title: str, version: str, description: str = "",
             public: Callable[[Callable], bool] | None = None, schemes: dict | None = None) -> None:
    """Serve the document and the page; `public` tells the views that need no access token, `schemes`
    names the other credentials some views take (see openapi.build)."""
    app.extensions["openapi"] = {"describe": {"title": title, "version": version, "description": description,
                                              "public": public, "schemes": schemes}}
    app.register_blueprint(bp)
