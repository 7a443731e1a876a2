"""The QR code an authenticator app scans to set itself up: inline SVG (segno), so a page needs no image
request and a strict Content-Security-Policy still shows it."""
from __future__ import annotations

import segno


def svg(text: str, title: str = "QR code for your authenticator app") -> str:
    """Markup of an <svg> element holding `text` (medium error correction, a quiet zone of 4 modules)."""
    return segno.make(text, error="m").svg_inline(scale=4, title=title, svgclass="qr")
