"""The password steps both logins share: the rules shown before typing, and an initial password changed
on the spot (identity's POST .../auth/password), which also logs the user in."""
from __future__ import annotations

from . import api, forms

CHANGE_REQUIRED = "auth.password_change_required"


def rules() -> list[str]:
    """Identity's password rules in words; none when it does not answer just now (the form still works)."""
    try:
        return list(api.get("identity", "/auth/password-rules", token="", read_after=False).get("rules") or [])
    except api.ApiProblem:
        return []


def change(form) -> tuple[dict | None, dict]:
    """(tokens, {}) once the initial password is changed; (None, {field: message}) when it is refused."""
    if form.get("new_password", "") != form.get("new_password_again", ""):
        return None, {"new_password_again": "The two new passwords differ."}
    try:
        tokens = api.post("identity", "/auth/password", {"username": form.get("username", ""),
                                                         "password": form.get("password", ""),
                                                         "new_password": form.get("new_password", "")}, token="")
    except api.ApiProblem as problem:
        return None, forms.show_problem(problem)
    return tokens, {}
