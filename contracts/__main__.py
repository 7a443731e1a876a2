"""`python -m contracts`: check compatibility, then write the schemas, the AsyncAPI document and the page.

Writing a schema file is publishing it, so nothing is written while a published version would break:
regenerating must never quietly overwrite the record the compatibility check compares against.
"""
from __future__ import annotations

import sys

from . import TOPICS, asyncapi, catalogue, eventdocs
from .compatibility import check
from .jsonschema import write_all


def main() -> int:
    current = catalogue()
    breaks = check(current)
    if breaks:
        print("These changes would break consumers of published events; nothing was written:", file=sys.stderr)
        for item in breaks:
            print(f"  {item}", file=sys.stderr)
        print("Publish a new version (with an upcaster on the old one) instead: see DEVELOPERS.md.",
              file=sys.stderr)
        return 1
    for path in [*write_all(current), asyncapi.write(current, TOPICS), eventdocs.write(current)]:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
