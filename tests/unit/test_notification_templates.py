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
