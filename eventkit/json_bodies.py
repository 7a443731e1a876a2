"""How deeply a JSON request body may nest, checked before anything parses it.

Python's json parser recurses once per level, so `[[[[...]]]]` a thousand levels deep raises
RecursionError, which no view expects: every JSON-body endpoint answered 500, login included. No
Portico body nests more than a few levels, so one far past that is refused with a 400 before it is
parsed, by a scan that only counts brackets outside strings. Its size is bounded before that by each
service's MAX_CONTENT_LENGTH (a 413 problem).
"""
from __future__ import annotations

import re

MAX_DEPTH = 32
_ESCAPE = re.compile(rb"\\.", re.DOTALL)
_PARENS = bytes.maketrans(b"[{]}", b"(())")
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")


def nests_deeper_than(body: bytes, limit: int) -> bool:
    """Whether the JSON text nests arrays and objects more than `limit` deep (brackets in strings do not
    count). Each pass drops the innermost pairs, so at most `limit` + 1 passes of C-speed bytes operations
    decide it, whatever the body's size; unmatched brackets (malformed JSON, which the parser refuses)
    count as deep as the openers among them."""
    outside_strings = b"".join(_ESCAPE.sub(b"", body).split(b'"')[::2])
    structure, levels = outside_strings.translate(_PARENS, _NOT_BRACKETS), 0
    while structure and levels <= limit:
        inner_dropped = structure.replace(b"()", b"")
        if inner_dropped == structure:
            break
        structure, levels = inner_dropped, levels + 1
    return levels + structure.count(b"(") > limit


def check(request, max_depth: int = MAX_DEPTH) -> None:
    """Refuse a JSON body nested too deeply (400), unparsed; get_data keeps to MAX_CONTENT_LENGTH (413)."""
    from .problems import Problem

    if request.is_json and nests_deeper_than(request.get_data(cache=True), max_depth):
        raise Problem(400, "request.too_deep", "Nested too deeply",
                      f"The JSON body nests more than {max_depth} levels deep; no request needs that many.",
                      [{"field": None, "pointer": "#", "detail": f"nested more than {max_depth} levels"}])
