"""Service configuration: defaults, then a mapping (tests), then PORTICO_* environment variables."""
from __future__ import annotations

import json
import os
from typing import Any, Mapping


def load(defaults: Mapping[str, Any], overrides: Mapping[str, Any] | None = None,
         prefix: str = "PORTICO_") -> dict[str, Any]:
    """Merge configuration; environment values are parsed as JSON when they look like JSON."""
    config = dict(defaults)
    for key, raw in os.environ.items():
        if key.startswith(prefix):
            name = key[len(prefix):]
            try:
                config[name] = json.loads(raw)
            except ValueError:
                config[name] = raw
    config.update(overrides or {})
    return config
