"""Open the sealed link tokens of a delivery into the URLs its e-mail shows.

The token exists in clear only in memory, while the message is built: the queue keeps it sealed.
"""
from __future__ import annotations

from urllib.parse import quote

from eventkit import sealed


def open_links(links: dict, private_keys) -> dict[str, str]:
    """{variable: url with ?token=...}; raises eventkit.sealed.SealError if a token does not open."""
    return {name: f"{spec['url']}?token={quote(sealed.open_sealed(spec['sealed'], private_keys, spec['context']))}"
            for name, spec in links.items()}
