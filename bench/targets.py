"""Issue 15's targets, each checked against the figures of a run: one row per target in `make bench`.

A target names the figure it reads (a test on the row), what is compared (the figure, or its ratio to
the baseline measured in the same run) and the bound. A figure the run did not measure is "not run",
never met.
"""
from __future__ import annotations

import operator
from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class Target:
    name: str
    row: Callable[[dict], bool]
    of: str  # "value" or "ratio"
    compare: Callable[[float, float], bool]
    bound: float
    words: str
    sustained: bool = False  # the row must also say its rate was kept
    # The row of what the libraries allow here, for a target beyond them: the same unit as the figure.
    ceiling: Callable[[dict], bool] | None = None

    def check(self, rows: list[dict]) -> dict:
        """This target against the run's rows: figure, baseline, ratio, bound, met."""
        row = next((r for r in rows if self.row(r)), None)
        ceiling = next((r for r in rows if self.ceiling(r)), None) if self.ceiling else None
        if row is None:
            return {"target": self.name, "bound": self.words, "met": None, "ceiling": ceiling}
        ratio = row["value"] / row["baseline"] if row.get("baseline") else None
        figure = ratio if self.of == "ratio" else row["value"]
        met = figure is not None and self.compare(figure, self.bound)
        if self.sustained and not row.get("sustained", False):
            met = False
        return {"target": self.name, "bound": self.words, "met": met, "row": row, "ratio": ratio, "ceiling": ceiling}


def _named(prefix: str, unit: str | None = None) -> Callable[[dict], bool]:
    return lambda r: r["benchmark"].startswith(prefix) and (unit is None or r["unit"] == unit)


def _exactly(name: str) -> Callable[[dict], bool]:
    return lambda r: r["benchmark"] == name


def _rebuild(r: dict) -> bool:
    return r["benchmark"].startswith("projection rebuild, ") and r["benchmark"].endswith(" events")


ge, lt = operator.ge, operator.lt
TARGETS = [
    Target("projection rebuild", _rebuild, "value", ge, 20_000, ">= 20,000 events/s"),
    Target("projection rebuild against a bare read", _rebuild, "ratio", ge, 0.5, ">= 0.5 of the bare read"),
    Target("customer import end to end", _exactly("customer import: end to end"), "value", ge, 6_000,
           ">= 6,000 rows/s", ceiling=_exactly("customer import: ceiling of one kafka-python producer")),
    Target("command to projection p50 at 200/s", _exactly("command to projection p50, 200 commands/s"), "value",
           lt, 15, "< 15 ms, sustained", sustained=True),
    Target("command to projection p99 at 200/s", _exactly("command to projection p99, 200 commands/s"), "value",
           lt, 50, "< 50 ms, sustained", sustained=True),
    Target("e-mails", _named("notifications:", "e-mails/s"), "value", ge, 300, ">= 300 e-mails/s"),
    Target("e-mails against bare smtplib", _named("notifications:", "e-mails/s"), "ratio", ge, 0.3,
           ">= 0.3 of bare smtplib"),
    Target("e-mails sent twice", _named("notifications:", "duplicates"), "value", operator.le, 0, "0 duplicates"),
    Target("document list p99 at 300/s", lambda r: r["benchmark"].startswith("document list p99")
           and r["benchmark"].endswith("300 requests/s open loop"), "value", lt, 25, "< 25 ms, open loop",
           sustained=True),
    Target("logins at Keycloak's cost", _named("identity logins"), "ratio", ge, 0.8, ">= 0.8 of a bare hash loop"),
]


def check(rows: list[dict]) -> list[dict]:
    return [target.check(rows) for target in TARGETS]
