"""Build a queued delivery's e-mail: open its links, render its tenant's template, make the MIME message.

Nothing built here is stored: the links' tokens live only in this message, which goes to SMTP.
Whatever goes wrong while building one e-mail (its tenant's template raising on this data, an address
that does not parse) is Unbuildable: that delivery fails, with its reason, and the batch goes on.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from email.message import Message

from eventkit.sealed import SealError

from ..adapters import mime
from ..adapters.links import open_links
from ..adapters.rendering import Renderer
from ..domain import outcomes
from ..domain.errors import TemplateInvalid
from ..domain.kinds import KINDS
from .templates import in_use

log = logging.getLogger(__name__)
# Rendering time one tenant may use in one batch. Each render is bounded (bounded_sandbox.py), but a
# template slow on real data only, times a thousand deliveries, would still hold every other tenant's
# e-mail of the batch behind it: past this, the tenant's remaining deliveries wait for a later batch.
TENANT_SECONDS_PER_BATCH = 2.0


class Unbuildable(Exception):
    """The e-mail cannot be made, and will not be on a later try: a final failure."""

    def __init__(self, reason: str, detail: str):
        super().__init__(detail)
        self.reason = reason


@dataclass(frozen=True)
class Built:
    message: Message
    message_id: str
    subject: str
    template: str  # "default" or "tenant"
    sender: str  # the envelope's addresses: parsed once here, never read back from the headers
    recipient: str
    international: bool = False  # an address is not ASCII: it travels only with SMTPUTF8


class OverBudget(Exception):
    """The tenant has used its rendering time in this batch: try this delivery again in a later one."""


class MessageBuilder:
    """Builds the e-mails of one batch; looks each tenant's template up once per batch."""

    def __init__(self, pool, renderer: Renderer, private_keys, clock=time.monotonic):
        self.pool, self.renderer, self.private_keys, self.clock = pool, renderer, private_keys, clock
        self._templates: dict[tuple[str, str], tuple] = {}
        self._rendering: dict[str, float] = {}  # seconds spent rendering, by tenant

    def build(self, delivery: dict) -> Built:
        kind, context = delivery["kind"], dict(delivery["context"])
        try:
            opened = open_links(context.pop("links", {}), self.private_keys)
        except SealError as error:
            raise Unbuildable("link_unreadable", str(error)) from error
        variables = {**context, **{name: None for name in KINDS[kind].links}, **opened}
        template, source = self._template(delivery["tenant_id"], kind)  # a database error is an outage: not caught
        rendered = self._render(delivery["tenant_id"], template, variables)
        try:
            return self._message(delivery, rendered, source)
        except mime.BadAddress as error:
            raise Unbuildable("address_invalid", str(error)) from error
        except Exception as error:  # anything else about this one message: it fails, the others go on
            log.exception("e-mail %s cannot be built", delivery["delivery_id"])
            raise Unbuildable("unsendable", f"{type(error).__name__}: {error}") from error

    def _render(self, tenant_id: str, template, variables: dict):
        spent = self._rendering.get(tenant_id, 0.0)
        if spent > TENANT_SECONDS_PER_BATCH:
            raise OverBudget(f"tenant {tenant_id} used {spent:.1f} s of rendering in this batch")
        started = self.clock()
        try:
            return self.renderer.render(template, variables)
        except TemplateInvalid as error:  # a tenant's template that fails on this data, or a default gone wrong
            raise Unbuildable("template_error", str(error)) from error
        finally:
            self._rendering[tenant_id] = spent + self.clock() - started

    def _message(self, delivery: dict, rendered, source: str) -> Built:
        sender, recipient = mime.mailbox(delivery["sender"])[1], mime.mailbox(delivery["recipient"])[1]
        message_id = outcomes.message_id(delivery["delivery_id"], sender)
        message = mime.build(rendered, sender=delivery["sender"], recipient=recipient,
                             reply_to=delivery["reply_to"], message_id=message_id, tenant_id=delivery["tenant_id"],
                             kind=delivery["kind"], event_id=delivery["event_id"],
                             boundary=delivery["delivery_id"].hex)
        international = not all(a.isascii() for a in (sender, recipient, delivery["reply_to"] or ""))
        return Built(message, message_id, rendered.subject, source, sender, recipient, international)

    def _template(self, tenant_id: str, kind: str) -> tuple:
        key = (tenant_id, kind)
        if key not in self._templates:
            with self.pool.connection() as conn:
                self._templates[key] = in_use(conn, tenant_id, kind)
        return self._templates[key]
