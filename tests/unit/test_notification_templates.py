"""Templates: every shipped default renders; a template that would fail is refused naming part and line."""
import pytest

from notifications.adapters.rendering import Renderer, Template, default_template
from notifications.domain.errors import TemplateInvalid
from notifications.domain.kinds import KINDS

renderer = Renderer()


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_default_renders_against_its_sample_with_no_variable_left_over(kind):
    rendered = renderer.check(default_template(kind), KINDS[kind].sample())
    assert rendered.subject and "\n" not in rendered.subject
    assert rendered.html and rendered.html.lstrip().startswith("<!DOCTYPE html>")
    for link in KINDS[kind].links:
        assert KINDS[kind].sample()[link] in rendered.text


def test_the_welcome_email_without_a_link_still_gives_login_instructions():
    rendered = renderer.render(default_template("welcome"), {**KINDS["welcome"].sample(), "set_password_url": None})
    assert "set-password" not in rendered.text and "https://portal.example/acme/login" in rendered.text


def refused(template: Template, kind: str = "welcome") -> list[dict]:
    with pytest.raises(TemplateInvalid) as error:
        renderer.check(template, KINDS[kind].sample())
    return error.value.problems


def test_a_syntax_error_is_refused_naming_the_part_and_line():
    [problem] = refused(Template("Welcome", "Hello\n{{ username }\nBye"))
    assert (problem["field"], problem["line"]) == ("text", 2)
    [unclosed] = refused(Template("Welcome", "Hello\n{% if username %}\nno end"))
    assert unclosed["field"] == "text" and "endif" in unclosed["detail"]


def test_an_undefined_variable_is_refused_in_every_part_it_appears():
    problems = refused(Template("Hi {{ usernme }}", "ok", "<p>\n{{ pasword }}</p>"))
    assert [(p["field"], p["line"], p["detail"]) for p in problems] == [
        ("subject", 1, "'usernme' is undefined"), ("html", 2, "'pasword' is undefined")]


def test_the_sandbox_refuses_reaching_into_python():
    [problem] = refused(Template("x", "{{ username.__class__.__mro__ }}"))
    assert problem["field"] == "text" and "unsafe" in problem["detail"]


def test_html_is_escaped_and_the_subject_is_one_line():
    rendered = renderer.render(Template("Hello\n {{ username }}", "{{ username }}", "<b>{{ username }}</b>"),
                               {"username": "<script>"})
    assert rendered.subject == "Hello <script>"
    assert rendered.text == "<script>" and rendered.html == "<b>&lt;script&gt;</b>"


def test_an_empty_subject_is_refused():
    assert refused(Template("  ", "text"))[0]["field"] == "subject"


@pytest.mark.parametrize("text, line, detail", [
    ("Hello\n{{ 1 / 0 }}", 2, "it divides by zero"),
    ("Hello\n\n{{ username + 1 }}", 3, "it cannot be rendered"),
    ("{% macro again() %}{{ again() }}{% endmacro %}\n{{ again() }}", 1, "it calls itself without end"),
    ("Hello\n{% include 'footer.txt' %}", 2, "cannot include, import or extend"),
])
def test_python_errors_in_a_template_are_refused_naming_the_line(text, line, detail):
    [problem] = refused(Template("Welcome", text))
    assert problem["field"] == "text" and problem["line"] == line and detail in problem["detail"]


@pytest.mark.parametrize("text", [
    "{% for a in range(99999) %}{% for b in range(99999) %}{% endfor %}{% endfor %}",
    "{{ 'x' * 10**9 }}",
    "{{ 'x'|center(10**9) }}",
    "{{ '%999999999s'|format(1) }}",
    "{{ '{:>999999999}'.format(1) }}",
    "{{ 'x'.ljust(10**9) }}",
    "{{ ([1]|slice(10**9))|list }}",
    "{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s }}",
    "{% set s = 'x' * 200000 %}{{ s|replace('x', s) }}",
    "{% set s = 'x' * 200000 %}{{ ([s] * 100)|join }}",
    "{% for i in range(100000) %}{{ 'x' * 1000 }}{% endfor %}",
])
def test_a_template_that_would_run_for_ever_or_grow_without_bound_is_refused(text):
    [problem] = refused(Template("Welcome", text))
    assert problem["field"] == "text" and problem["detail"]


def test_ordinary_loops_formats_and_filters_still_render():
    rendered = renderer.render(Template("Hi", "{% for i in range(3) %}{{ i }}{% endfor %} {{ '%5s'|format('a') }}"
                                              " {{ '{:>3}'.format('b') }} {{ 'ab' * 2 }} {{ 2 ** 10 }}"
                                              " {{ [3, 1, 2]|sort|join(',') }}"), {})
    assert rendered.text == "012     a   b abab 1024 1,2,3"
