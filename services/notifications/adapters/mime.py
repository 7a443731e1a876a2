"""Build the MIME message: text, and HTML as its alternative when the template has one.

The legacy email.mime classes, not EmailMessage: the latter's header registry makes building a message
about five times slower, and the sender builds thousands a minute. Non-ASCII headers are encoded here.
"""
from __future__ import annotations

from email.charset import QP, Charset
from email.header import Header
from email.message import Message
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formatdate

from .rendering import Rendered

_UTF8 = Charset("utf-8")
_UTF8.body_encoding = QP  # mostly readable in a raw message, unlike base64


def _header(value: str) -> str | Header:
    return value if value.isascii() else Header(value, "utf-8")


def _part(body: str, subtype: str) -> MIMEText:
    plain = body.isascii() and all(len(line) < 900 for line in body.splitlines())
    return MIMEText(body, subtype, "us-ascii" if plain else _UTF8)  # 7bit when SMTP allows it: links stay intact


def build(rendered: Rendered, *, sender: str, recipient: str, reply_to: str | None, message_id: str,
          tenant_id: str, kind: str, event_id) -> Message:
    text = _part(rendered.text, "plain")
    if rendered.html:
        message = MIMEMultipart("alternative")
        message.attach(text)
        message.attach(_part(rendered.html, "html"))
    else:
        message = text
    message["From"] = _header(sender)
    message["To"] = recipient
    if reply_to:
        message["Reply-To"] = reply_to
    message["Subject"] = _header(rendered.subject)
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = message_id
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies to a robot
    message["X-Portico-Tenant"] = tenant_id
    message["X-Portico-Kind"] = kind
    message["X-Portico-Event-Id"] = str(event_id)
    return message
