"""Destructive and mass actions ask first (issue 13): the form posts once to get the question, saying how
many and who, and again with confirmed=yes to act. Pages work without JavaScript."""
from __future__ import annotations

from flask import render_template, request

SHOWN = 20  # names listed on the question; the rest are counted


def confirmed() -> bool:
    return request.form.get("confirmed") == "yes"


def ask(question: str, answer: str, back: str, who: list[str] | None = None, warning: str | None = None,
        choices: list[tuple[str, str]] | None = None, choice_name: str = "choice", danger: bool = True,
        reason: str | None = None):
    """The question page; its form repeats what was posted, plus confirmed=yes (and, given `reason`, a
    required text field of that label, posted as `reason`)."""
    who = who or []
    carried = [(k, v) for k, values in request.form.lists() for v in values
               if k not in ("csrf_token", "confirmed", "reason")]
    return render_template("staff/confirm.html", question=question, answer=answer, back=back, who=who[:SHOWN],
                           more=max(0, len(who) - SHOWN), warning=warning, choices=choices or [],
                           choice_name=choice_name, carried=carried, danger=danger, action=request.path,
                           reason=reason)
