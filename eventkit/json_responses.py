"""JSON responses written by orjson, the same JSON that Flask's own provider writes.

A document list answers fifty documents a request, and the standard library's encoder was a tenth of the
web's CPU for it. Flask's choices are kept: keys sorted, dates as HTTP dates, Decimals as strings,
dataclasses as objects (through Flask's own `default`), compact, a final newline. The text differs only
where JSON allows it to: non-ASCII text is written as UTF-8, as RFC 8259 asks, rather than escaped; a
float's exponent has no leading zeros (1e-7, where the standard library writes 1e-07). NaN and the
infinities, which are not JSON at all, become null. What orjson refuses (an integer past 64 bits, a key
that is not a string) is written by the standard library, as before; so is debug mode's indented output.
"""
from __future__ import annotations

import orjson
from flask import Flask
from flask.json.provider import DefaultJSONProvider

_OPTIONS = (orjson.OPT_SORT_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
            | orjson.OPT_APPEND_NEWLINE)


class OrjsonProvider(DefaultJSONProvider):
    def response(self, *args, **kwargs):
        if self.compact is False or (self.compact is None and self._app.debug):
            return super().response(*args, **kwargs)
        obj = self._prepare_response_obj(args, kwargs)
        try:
            body = orjson.dumps(obj, default=self.default, option=_OPTIONS)
        except orjson.JSONEncodeError:
            return super().response(*args, **kwargs)
        return self._app.response_class(body, mimetype=self.mimetype)


def init_app(app: Flask) -> None:
    app.json = OrjsonProvider(app)
