"""A Jinja2 sandbox with a budget: a tenant's template renders in bounded time and to bounded size.

Jinja's sandbox keeps a template out of Python's internals but not off the CPU or out of memory:
`{% for a in range(99999) %}{% for b in range(99999) %}{% endfor %}{% endfor %}` runs for hours and
`{{ 'x' * 10**9 }}` or `{{ 'x'|center(10**9) }}` builds a gigabyte, and one such template would hold
the sender that every tenant shares. So every render has a deadline, checked wherever a template can
spend time (each loop step, call, filter and operator); numbers, widths and repetitions that would
build more than the largest output are refused before Python builds it, as are long strings handed
to a call or filter (the amplifiers: replace, join, a macro doubling its argument); what a call,
filter or operator returns and what a namespace keeps are held to the output limit, and nothing
mutates a list or dict (the immutable sandbox). What the template writes is counted as it streams
(rendering.py).
"""
from __future__ import annotations

import re
import threading
import time
from numbers import Number

from jinja2 import nodes
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import Namespace

MAX_RENDER_SECONDS = 2.0
MAX_OUTPUT_LENGTH = 256 * 1024  # characters per part; the shipped templates write about 2,000
MAX_ARGUMENT_LENGTH = 1024
MAX_LIST_LENGTH = 10_000
_LOOP_FILTER = "_budgeted"
# A printf or str.format width or precision of five digits or more: "%99999s", "{:>99999}".
_WIDE_FORMAT = re.compile(r"%[-#0 +]*(\d{5,}|\*)|%[-#0 +]*\d*\.\d{5,}|\{[^{}]*:[^{}]*\d{5,}[^{}]*\}")


class Budget(threading.local):
    """The deadline of the render running on this thread (the sender and web workers render in threads)."""

    deadline = float("inf")

    def start(self, seconds: float = MAX_RENDER_SECONDS) -> None:
        self.deadline = time.monotonic() + seconds

    def check(self) -> None:
        if time.monotonic() > self.deadline:
            raise SecurityError(f"the template takes longer than {MAX_RENDER_SECONDS:g} seconds to render")


def _refuse_large_arguments(values) -> None:
    for value in values:
        if isinstance(value, Number) and not isinstance(value, bool) and abs(value) > MAX_OUTPUT_LENGTH:
            raise SecurityError(f"the number {value} is too large for a template (at most {MAX_OUTPUT_LENGTH})")
        if isinstance(value, str) and (len(value) > MAX_ARGUMENT_LENGTH or _WIDE_FORMAT.search(value)):
            raise SecurityError(f"a text longer than {MAX_ARGUMENT_LENGTH} characters or a format width of five"
                                " digits cannot be passed to a filter or function")
        _held_to_limit(value)


def _held_to_limit(result):
    if isinstance(result, str) and len(result) > MAX_OUTPUT_LENGTH:
        raise SecurityError(f"that makes a text longer than {MAX_OUTPUT_LENGTH} characters")
    if isinstance(result, (list, tuple, dict)):
        if len(result) > MAX_LIST_LENGTH:
            raise SecurityError(f"that makes a list longer than {MAX_LIST_LENGTH} items")
        if isinstance(result, (list, tuple)) and sum(len(i) for i in result if isinstance(i, str)) > MAX_OUTPUT_LENGTH:
            raise SecurityError(f"that makes a list holding more than {MAX_OUTPUT_LENGTH} characters")
    return result


class _BoundedNamespace(Namespace):
    """`{% set ns.text = ns.text ~ ns.text %}` in a loop is the one way to grow a value across steps."""

    def __setitem__(self, name, value):
        super().__setitem__(name, _held_to_limit(value))


class BoundedSandbox(ImmutableSandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**", "%"})

    def __init__(self, budget: Budget, **options):
        super().__init__(**options)
        self.budget = budget
        self.filters = {name: self._budgeted_filter(name, f) for name, f in self.filters.items()}
        self.filters[_LOOP_FILTER] = self._budgeted_loop
        self.globals["namespace"] = _BoundedNamespace

    def _parse(self, source, name, filename):
        """Route every loop's iterable through the budget, so each step of a loop checks the deadline."""
        tree = super()._parse(source, name, filename)
        for loop in tree.find_all(nodes.For):
            loop.iter = nodes.Filter(loop.iter, _LOOP_FILTER, [], [], None, None, lineno=loop.iter.lineno)
        return tree

    def _budgeted_loop(self, iterable):
        for item in iterable:
            self.budget.check()
            yield item

    def _budgeted_filter(self, name: str, function):
        passes_context = hasattr(function, "jinja_pass_arg")
        first_argument = 2 if passes_context else 1  # after the context (if passed) and the value filtered

        def budgeted(*args, **kwargs):
            self.budget.check()
            _held_to_limit(args[first_argument - 1])
            _refuse_large_arguments([*args[first_argument:], *kwargs.values()])
            if name == "format":  # its value is a format string
                _refuse_large_arguments([args[first_argument - 1]])
            return _held_to_limit(function(*args, **kwargs))
        if passes_context:
            budgeted.jinja_pass_arg = function.jinja_pass_arg
        return budgeted

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 (Jinja's own signature)
        __self.budget.check()
        _refuse_large_arguments([*args, *kwargs.values()])
        return _held_to_limit(super().call(__context, __obj, *args, **kwargs))

    def call_binop(self, context, operator, left, right):
        self.budget.check()
        if operator == "*" and (isinstance(left, (str, list, tuple)) or isinstance(right, (str, list, tuple))):
            times, sequence = (right, left) if isinstance(left, (str, list, tuple)) else (left, right)
            limit = MAX_OUTPUT_LENGTH if isinstance(sequence, str) else MAX_LIST_LENGTH
            if isinstance(times, int) and len(sequence) * times > limit:
                raise SecurityError(f"repeating that would make more than {limit} items")
        if operator == "**" and isinstance(right, Number) and abs(right) > 100:
            raise SecurityError("a power above 100 is not allowed in a template")
        if operator == "%" and isinstance(left, str) and _WIDE_FORMAT.search(left):
            raise SecurityError("a format width or precision of five digits is not allowed")
        return _held_to_limit(super().call_binop(context, operator, left, right))

    def wrap_str_format(self, value):
        """`'{:>99999}'.format(x)`: Jinja hands str.format and format_map to its own formatter here."""
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        if _WIDE_FORMAT.search(value.__self__):
            raise SecurityError("a format width or precision of five digits is not allowed")
        return lambda *args, **kwargs: _held_to_limit(wrapped(*args, **kwargs))

    def getattr(self, obj, attribute):
        self.budget.check()
        return super().getattr(obj, attribute)
