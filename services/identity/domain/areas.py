"""Access areas of a portal user and the security roles they grant (seeds 002, 003)."""
from __future__ import annotations

from typing import Iterable

from contracts.identity_users import AREA_ROLES, AREAS

ALL = "all"
# What staff may type: the areas as the seeds name them, in any case.
_SPELLINGS = {"quotes": "quotes", "orders": "orders", "sales orders": "orders", "invoices": "invoices",
              "a/r statements": "ar_statements", "ar_statements": "ar_statements", "statements": "ar_statements",
              "shipments": "shipments", ALL: ALL}


def parse(names: Iterable[str]) -> tuple[frozenset[str], list[str]]:
    """The areas named (ALL meaning every one), and the names that are no area."""
    areas, unknown = set(), []
    for name in names:
        area = _SPELLINGS.get(name.strip().lower())
        if area is None:
            unknown.append(name)
        elif area == ALL:
            areas.update(AREAS)
        else:
            areas.add(area)
    return frozenset(areas), unknown


def ordered(areas: Iterable[str]) -> list[str]:
    chosen = set(areas)
    return [a for a in AREAS if a in chosen]


def role_changes(current: Iterable[str], wanted: Iterable[str]) -> tuple[list[str], list[str]]:
    """(areas to grant, areas to revoke) to go from the current areas to the wanted ones."""
    current, wanted = set(current), set(wanted)
    return ordered(wanted - current), ordered(current - wanted)


def role_of(area: str) -> str:
    return AREA_ROLES[area]
