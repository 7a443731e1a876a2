"""Build the MIME message: text, and HTML as its alternative when the template has one.

The legacy email.mime classes, not EmailMessage: the latter's header registry makes building a message
about five times slower, and the sender builds thousands a minute. For the same reason short ASCII
headers are written as they are rather than folded through email.header, and the multipart boundary
is the delivery's id (nothing else in the message contains it), so no boundary has to be searched for.
"""
from __future__ import annotations

from email.charset import QP, Charset
from email.header import Header
from email.message import Message
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import Compat32
from email.utils import formatdate

from .rendering import Rendered

_UTF8 = Charset("utf-8")
_UTF8.body_encoding = QP  # mostly readable in a raw message, unlike base64


class _Unfolded(Compat32):
    def fold_binary(self, name, value):
        if isinstance(value, str) and value.isascii() and len(name) + len(value) < 76 and "\n" not in value:
            return f"{name}: {value}{self.linesep}".encode("ascii")
        return super().fold_binary(name, value)


_POLICY = _Unfolded()


def _header(value: str) -> str | Header:
    return value if value.isascii() else Header(value, "utf-8")


def _part(body: str, subtype: str) -> MIMEText:
    plain = body.isascii() and all(len(line) < 900 for line in body.splitlines())
    # 7bit when SMTP allows it: links stay intact in the raw message.
    return MIMEText(body, subtype, "us-ascii" if plain else _UTF8, policy=_POLICY)


def build(rendered: Rendered, *, sender: str, recipient: str, reply_to: str | None, message_id: str,
          tenant_id: str, kind: str, event_id, boundary: str) -> Message:
    text = _part(rendered.text, "plain")
    if rendered.html:
        message = MIMEMultipart("alternative", boundary=f"=_portico_{boundary}", policy=_POLICY)
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
