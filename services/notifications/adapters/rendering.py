"""Templates with Jinja2: a sandbox for every template (tenants write their own) with a budget of time
and size (bounded_sandbox.py), StrictUndefined so a misspelt variable is an error rather than an empty
gap, and the shipped defaults read from files. Any error a template raises while rendering (Jinja's,
or Python's: a division by zero, a recursion, an include with nothing to include) is TemplateInvalid
naming the part and line, whether it is being saved, previewed or sent.

A template has three parts: `subject`, `text` and, optionally, `html` (autoescaped).
"""
from __future__ import annotations

import functools
import traceback
from dataclasses import dataclass
from pathlib import Path

from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError

from ..domain.errors import TemplateInvalid
from .bounded_sandbox import MAX_OUTPUT_LENGTH, BoundedSandbox, Budget

DEFAULTS_DIR = Path(__file__).resolve().parent.parent / "templates"
PARTS = ("subject", "text", "html")
_FILES = {"subject": "subject.txt", "text": "text.txt", "html": "html.html"}
MAX_PART_LENGTH = 64 * 1024


@dataclass(frozen=True)
class Template:
    subject: str
    text: str
    html: str | None = None

    def parts(self) -> dict[str, str]:
        return {part: getattr(self, part) for part in PARTS if getattr(self, part) is not None}


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str | None


def default_template(kind: str) -> Template:
    folder = DEFAULTS_DIR / kind
    html = folder / _FILES["html"]
    # A subject is one line: its file's line end is no part of it (a form shows it in a one-line field,
    # which drops line breaks, so saving the default unchanged would change it).
    return Template((folder / _FILES["subject"]).read_text().rstrip("\r\n"), (folder / _FILES["text"]).read_text(),
                    html.read_text() if html.exists() else None)


class Renderer:
    """Compiles each distinct source once; rendering is then a dictionary walk."""

    def __init__(self):
        self._budget = Budget()
        self._text = BoundedSandbox(self._budget, undefined=StrictUndefined, autoescape=False,
                                    keep_trailing_newline=True)
        self._html = BoundedSandbox(self._budget, undefined=StrictUndefined, autoescape=True,
                                    keep_trailing_newline=True)

    @functools.lru_cache(maxsize=512)
    def _compiled(self, part: str, source: str):
        return (self._html if part == "html" else self._text).from_string(source)

    def render(self, template: Template, context: dict) -> Rendered:
        """Render every part; raise TemplateInvalid naming each part that fails, and its line."""
        out, problems = {}, []
        for part, source in template.parts().items():
            try:
                out[part] = self._render_part(part, source, context)
            except Exception as error:  # a tenant's template may raise anything Python can
                problems.append(_problem(part, error))
        if problems:
            raise TemplateInvalid(problems)
        subject = " ".join(out["subject"].split())  # a header is one line
        return Rendered(subject, out["text"], out.get("html"))

    def check(self, template: Template, sample: dict) -> Rendered:
        """What saving a template requires: it renders against the kind's sample, every part."""
        problems = [{"field": part, "line": None, "detail": f"longer than {MAX_PART_LENGTH} characters"}
                    for part, source in template.parts().items() if len(source) > MAX_PART_LENGTH]
        if not template.subject.strip():
            problems.append({"field": "subject", "line": None, "detail": "the subject is empty"})
        if problems:
            raise TemplateInvalid(problems)
        rendered = self.render(template, sample)
        if not rendered.subject:
            raise TemplateInvalid([{"field": "subject", "line": None, "detail": "the subject renders empty"}])
        return rendered

    def _render_part(self, part: str, source: str, context: dict) -> str:
        compiled = self._compiled(part, source)
        self._budget.start()
        try:
            written, length = [], 0
            for chunk in compiled.generate(context):
                length += len(chunk)
                if length > MAX_OUTPUT_LENGTH:
                    raise TemplateTooLong(f"it renders longer than {MAX_OUTPUT_LENGTH} characters")
                written.append(chunk)
            return "".join(written)
        finally:
            self._budget.start(float("inf"))


class TemplateTooLong(Exception):
    """Its output passed MAX_OUTPUT_LENGTH; the message says so in a person's words."""


def _problem(part: str, error: Exception) -> dict:
    line = error.lineno if isinstance(error, TemplateSyntaxError) else _line_in_template(error)
    if isinstance(error, (TemplateError, TemplateTooLong)):
        detail = getattr(error, "message", None) or str(error) or type(error).__name__
    else:
        detail = _python_error(error)
    return {"field": part, "line": line, "detail": detail}


def _python_error(error: Exception) -> str:
    if isinstance(error, ZeroDivisionError):
        return "it divides by zero"
    if isinstance(error, RecursionError):
        return "it calls itself without end"
    if "no loader" in str(error):  # {% include %}, {% import %}, {% extends %}: there is nothing to load from
        return "an e-mail template cannot include, import or extend another template"
    return f"it cannot be rendered: {error}"


def _line_in_template(error: Exception) -> int | None:
    """Jinja rewrites tracebacks so that the template's frames carry its line numbers."""
    lines = [frame.lineno for frame in traceback.extract_tb(error.__traceback__) if frame.filename == "<template>"]
    return lines[-1] if lines else None
