"""Build the MIME message: text, and HTML as its alternative when the template has one.

The legacy email.mime classes, not EmailMessage: the latter's header registry makes building a message
about five times slower, and the sender builds thousands a minute. For the same reason short ASCII
headers are written as they are rather than folded through email.header, and the multipart boundary
is the delivery's id (nothing else in the message contains it), so no boundary has to be searched for.

Every header value is made one line here (eventkit.header_text), whatever it holds: a From name with
"\r\nBcc : x" in it stays inside its From header, and addresses are parsed and written again, never
copied. A non-ASCII address (`jöhn@...`) can only travel with SMTPUTF8: `flatten(utf8=True)` then
writes its headers as UTF-8 rather than RFC 2047 words, which would mangle the address.
"""
from __future__ import annotations

from email.charset import QP, Charset
from email.generator import BytesGenerator
from email.header import Header
from email.message import Message
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import Compat32
from email.utils import formataddr, formatdate, parseaddr
from io import BytesIO

from eventkit.header_text import one_line

from .rendering import Rendered

_UTF8 = Charset("utf-8")
_UTF8.body_encoding = QP  # mostly readable in a raw message, unlike base64


class _Unfolded(Compat32):
    def fold_binary(self, name, value):
        if isinstance(value, str) and value.isascii() and len(name) + len(value) < 76 and "\n" not in value:
            return f"{name}: {value}{self.linesep}".encode("ascii")
        return super().fold_binary(name, value)


class _Utf8Unfolded(_Unfolded):
    """For SMTPUTF8: a header that is one line is written as it is, in UTF-8."""

    def fold_binary(self, name, value):
        if isinstance(value, str) and "\n" not in value and "\r" not in value:
            return f"{name}: {value}{self.linesep}".encode("utf-8")
        return super().fold_binary(name, value)


_POLICY = _Unfolded()
_WIRE, _WIRE_UTF8 = _Unfolded(linesep="\r\n"), _Utf8Unfolded(linesep="\r\n")


class BadAddress(ValueError):
    """An address (or a "Name <address>") that does not parse as one mailbox."""


def _header(value: str) -> str | Header:
    value = one_line(value)
    return value if value.isascii() else Header(value, "utf-8")


def mailbox(value: str) -> tuple[str, str]:
    """A "Name <address>" or bare address as (name, address), each one line; BadAddress if it is not one."""
    line = one_line(value)
    name, address = parseaddr(line)
    local, _, domain = address.rpartition("@")
    whole = line == address or line.endswith(f"<{address}>")  # parseaddr skips what it cannot read
    if not whole or not local or not domain or any(c in address for c in ' <>,;"'):
        raise BadAddress(f"{value!r} is not an e-mail address")
    return name, address


def _mailbox_header(value: str) -> str:
    name, address = mailbox(value)
    if not address.isascii():  # only with SMTPUTF8, written as UTF-8 (see flatten)
        return f"{name} <{address}>" if name else address
    return formataddr((name, address), charset="utf-8")  # a non-ASCII name becomes an RFC 2047 word


def flatten(message: Message, utf8: bool = False) -> bytes:
    """The message as SMTP's DATA carries it: CRLF line ends; UTF-8 headers when the session has SMTPUTF8."""
    out = BytesIO()
    BytesGenerator(out, mangle_from_=False, policy=_WIRE_UTF8 if utf8 else _WIRE).flatten(message)
    return out.getvalue()


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
    message["From"] = _mailbox_header(sender)
    message["To"] = _mailbox_header(recipient)
    if reply_to:
        message["Reply-To"] = _mailbox_header(reply_to)
    message["Subject"] = _header(rendered.subject)
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = one_line(message_id)
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies to a robot
    message["X-Portico-Tenant"] = one_line(tenant_id)
    message["X-Portico-Kind"] = kind
    message["X-Portico-Event-Id"] = str(event_id)
    return message
