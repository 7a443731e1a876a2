"""Request a batch of invitations: resolve the selection now, queue it for the worker (seed 004).

A filter is resolved here, in the request's transaction, so the batch holds exactly the customers
the list showed; the worker then invites or skips each one.
"""
from __future__ import annotations

import uuid

from eventkit.store import StreamAppend

from ..domain import batch
from ..domain.caller import Caller, may_invite, own_customers_only, sales_rep_filter
from ..domain.commands import CandidateSelection, InviteCustomers
from ..domain.errors import (AddressForUnselectedCustomer, BatchNotFound, NothingToInvite,
                             UsernameAdministratorRequired)
from . import candidates
from .candidates import CandidateFilter
from .settings import load as load_settings


def _selected(conn, tenant_id: str, by: Caller, selection: CandidateSelection) -> tuple[list[str], dict | None]:
    """The customer ids in order, and the filter as applied (None for a list of ids)."""
    if selection.customer_ids is not None:
        ids = list(dict.fromkeys(selection.customer_ids))
        own_customers_only(by, list(candidates.customers(conn, tenant_id, ids).values()))
        return ids, None
    applied = CandidateFilter(selection.customer_type, sales_rep_filter(by, selection.sales_rep),
                              selection.price_list, selection.search)
    return candidates.matching_ids(conn, tenant_id, applied), {
        "customer_type": applied.customer_type, "sales_rep": applied.sales_rep, "price_list": applied.price_list,
        "q": applied.search}


def invite_customers(cmd: InviteCustomers, uow) -> dict:
    """Queue the batch; the answer names it, for reading its progress."""
    may_invite(cmd.by)
    tenant_id = cmd.meta.tenant_id
    with uow:
        if not load_settings(uow, tenant_id).username_administrators:
            raise UsernameAdministratorRequired()
        ids, applied = _selected(uow.conn, tenant_id, cmd.by, cmd.selection)
        if not ids:
            raise NothingToInvite()
        unselected = sorted(set(cmd.addresses) - set(ids))
        if unselected:
            raise AddressForUnselectedCustomer(unselected)
        batch_id = str(uuid.uuid4())
        uow.batches.add(batch_id, tenant_id, cmd.by.person(), cmd.meta, [(c, cmd.addresses.get(c)) for c in ids])
        uow.append([StreamAppend(batch.stream_id(batch_id), "invitation-batch", 0,
                                 batch.requested(batch_id, cmd.by.person(), applied, len(ids)))], cmd.meta)
    return {"batch_id": batch_id, "state": "queued", "customers": len(ids)}


def _batch(uow, tenant_id: str, batch_id, by: Caller) -> dict:
    """A batch the caller may follow: in-house users any, a sales rep their own."""
    may_invite(by)
    row = uow.batches.progress(tenant_id, batch_id)
    if row is None or not (by.is_in_house or row["requested_by"]["user_id"] == by.user_id):
        raise BatchNotFound(batch_id)
    return row


def progress(tenant_id: str, batch_id, by: Caller, uow) -> dict:
    """How far the worker is: sent and skipped so far, out of the total."""
    with uow:
        row = _batch(uow, tenant_id, batch_id, by)
    return {**row, "batch_id": str(row["batch_id"]), "done": row["sent"] + row["skipped"]}


def skipped_customers(tenant_id: str, batch_id, by: Caller, uow, page: int, page_size: int) -> dict:
    """The customers the batch skipped so far, each with the reason."""
    with uow:
        _batch(uow, tenant_id, batch_id, by)
        rows = uow.batches.skipped(batch_id, page_size, (page - 1) * page_size)
    items = [{**r, "customer_id": str(r["customer_id"]), "reason": batch.REASONS[r["reason_code"]]} for r in rows]
    return {"items": items, "page": page, "page_size": page_size}
