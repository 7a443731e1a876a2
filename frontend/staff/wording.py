"""The console's words for what the services answer in codes: statuses, kinds, field paths and each event of
a customer's history as a sentence a person reads (dates and area names: frontend/words.py)."""
from __future__ import annotations

import re

from ..words import AREA_NAMES
from ..words import area_name as area

STATUSES = {"pending": "waiting for approval", "active": "active", "disabled": "disabled", "deleted": "deleted",
            "archived": "archived"}
KINDS = {"management": "management user", "staff": "staff user, no costs or balances",
         "company": "company", "individual": "individual"}
FIELDS = {"customer_type": "customer type", "sales_rep": "sales rep", "price_list": "price list",
          "receivable_account": "receivable account", "emails": "e-mail addresses", "email": "e-mail",
          "first_name": "first name", "last_name": "last name", "billing_address": "billing address",
          "shipping_address": "shipping address", "initial_password": "initial password",
          "from_address": "From address", "from_name": "From name", "reply_to": "Reply-To address",
          "portal_url": "portal address", "contact_id": "contact", "customer_code": "customer code", "title": "job title",
          "client_id": "client id", "client_type": "kind of client", "redirect_uris": "return addresses",
          "post_logout_redirect_uris": "addresses after logout", "sign_up_uri": "sign-up page"}


def areas(names) -> str:
    return ", ".join(area(a) for a in AREA_NAMES if a in set(names or ())) or "none"


def status(name: str) -> str:
    return STATUSES.get(name, str(name))


def _singular(word: str) -> str:
    return word[:-2] if word.endswith("sses") else word.removesuffix("s")


def field_label(path) -> str:
    """lines.0.quantity -> line 1: quantity; customer_type -> customer type."""
    pieces: list[str] = []
    for part in str(path or "").split("."):
        if part.isdigit() and pieces:
            pieces[-1] = f"{_singular(pieces[-1])} {int(part) + 1}"
        else:
            pieces.append(FIELDS.get(part, part.replace("_", " ")))
    return ": ".join(pieces)


def _changes(changes: dict) -> str:
    return ", ".join(field_label(k) for k in changes) or "nothing"


def _person(d: dict) -> str:
    return f"{d.get('first_name', '')} {d.get('last_name', '')}".strip()


_FACTORS = {"totp": "an authenticator app", "passkey": "a passkey"}

_SENTENCES = {
    "customer.created": lambda d: f"Customer {d.get('name')} added by hand",
    "customer.imported": lambda d: f"Customer {d.get('name')} imported from the accounting system",
    "customer.updated": lambda d: f"Customer details changed: {_changes(d.get('changes') or {})}",
    "customer.archived": lambda d: "Customer archived" + (f" ({d['reason']})" if d.get("reason") else ""),
    "customer.contact_added": lambda d: f"Contact {_person(d)} added",
    "customer.contact_updated": lambda d: f"Contact changed: {_changes(d.get('changes') or {})}",
    "customer.contact_removed": lambda d: "Contact removed",
    "user.created": lambda d: f"Portal user {d.get('username')} created ({KINDS.get(d.get('kind'), d.get('kind'))})"
                              f", areas: {areas(d.get('areas'))}",
    "user.registered": lambda d: f"{_person(d)} registered as {d.get('username')}"
                                 f"{' from an invitation' if d.get('source') == 'invitation' else ''}; "
                                 "waiting for approval",
    "user.approved": lambda d: f"Portal user {d.get('username')} approved",
    "user.deleted": lambda d: f"Portal user {d.get('username')} deleted",
    "user.disabled": lambda d: f"Portal user {d.get('username')} disabled",
    "user.enabled": lambda d: f"Portal user {d.get('username')} enabled again",
    "user.role_granted": lambda d: f"{d.get('username')} may now see {area(d.get('area'))}",
    "user.role_revoked": lambda d: f"{d.get('username')} may no longer see {area(d.get('area'))}",
    "user.own_orders_only_changed": lambda d: f"{d.get('username')} now sees "
                                              f"{'only their own orders' if d.get('own_orders_only') else 'every order of the customer'}",
    "user.password_set": lambda d: f"{d.get('username')} set their password",
    "user.password_changed": lambda d: f"{d.get('username')} changed their password",
    "user.password_reset_requested": lambda d: f"{d.get('username')} asked for a password reset link",
    "user.locked": lambda d: f"{d.get('username')} locked out after {d.get('failed_attempts')} failed logins",
    "user.second_factor_enrolled": lambda d: f"{d.get('username')} set up {_FACTORS.get(d.get('method'), 'a second factor')}"
                                             " for logging in",
    "user.second_factor_removed": lambda d: f"{_FACTORS.get(d.get('method'), 'A second factor').capitalize()} of "
                                            f"{d.get('username')} removed"
                                            f"{' by staff' if d.get('removed_by') == 'staff' else ''}",
    "user.recovery_code_used": lambda d: f"{d.get('username')} logged in with a recovery code "
                                         f"({d.get('remaining')} left)",
}


def happened(entry: dict) -> str:
    """One history entry as a sentence: what happened (who and when are columns of their own)."""
    short = re.sub(r"^portico\.[a-z]+\.", "", str(entry.get("type", "")))
    say = _SENTENCES.get(short)
    return say(entry.get("data") or {}) if say else short.replace(".", " ").replace("_", " ")


FILTERS = {"area_names": areas, "status_name": status, "field_label": field_label, "happened": happened,
           "kind_name": lambda k: KINDS.get(k, k or "")}
