"""Build the MIME message: text, and HTML as its alternative when the template has one."""
from __future__ import annotations

from email.message import EmailMessage
from email.utils import formatdate

from .rendering import Rendered


def build(rendered: Rendered, *, sender: str, recipient: str, reply_to: str | None, message_id: str,
          tenant_id: str, kind: str, event_id) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = recipient
    if reply_to:
        message["Reply-To"] = reply_to
    message["Subject"] = rendered.subject
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = message_id
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies to a robot
    message["X-Portico-Tenant"] = tenant_id
    message["X-Portico-Kind"] = kind
    message["X-Portico-Event-Id"] = str(event_id)
    message.set_content(rendered.text)
    if rendered.html:
        message.add_alternative(rendered.html, subtype="html")
    return message
