"""A form's values as the build API's arguments, and a problem's place on the form.

The page offers what the command line takes (``handouts build``'s and
``handouts batch``'s options), read with the command line's own readers,
so a wrong value is told in the same words. Only names the page listed are
taken: a content is one of the studio's ``<id>.<lang>`` (never a path), a
paper letter or a4; a template name is the build API's to judge.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from handouts.cli.options import OptionError, parse_date, parse_paper
from handouts.errors import HandoutError, Problem, RenderError, TemplateError
from handouts.project import Project

#: The form fields a problem can be shown beside, by the command-line option the problem names.
OPTION_FIELDS = {"--client": "client", "--note": "note", "--class-name": "class_name", "--date": "date",
                 "--paper": "paper", "--template": "template", "--content": "content", "--lang": "content",
                 "lang": "content", "practice_log": "practice_log"}


class FormError(HandoutError):
    """A form value the page cannot pass on, named by its command-line option."""


@dataclass(frozen=True)
class Choice:
    """One content the studio has, in one language: the form's value is ``<id>.<lang>``."""

    id: str
    lang: str

    @property
    def value(self) -> str:
        return f"{self.id}.{self.lang}"


def choices(project: Project) -> list[Choice]:
    """Every content of the studio folder and the bundled one, each language a choice of its own."""
    return [Choice(*name.rsplit(".", 1)) for name in project.content_ids()]


def first_choice(project: Project, preferred: str) -> str:
    """The content a form starts with: the studio's own in ``preferred``'s language first, else ``preferred``."""
    listed = [choice.value for choice in choices(project)]
    lang = preferred.rsplit(".", 1)[-1]
    own = [value for value in listed if value.endswith(f".{lang}") and project.root
           and (project.root / "content" / f"{value}.yaml").is_file()]
    return (own or [value for value in listed if value == preferred] or listed or [""])[0]


@dataclass(frozen=True)
class HandoutForm:
    """The handout form, read: what ``build.prepare`` and ``build.build_handout`` take."""

    content: str
    lang: str
    template: str | None
    paper: str | None
    client: str | None
    note: str | None
    class_name: str | None
    date: dt.date | None
    practice_log: bool

    def prepare_args(self) -> dict:
        return {"template": self.template, "paper": self.paper, "lang": self.lang, "practice_log": self.practice_log}

    def build_args(self) -> dict:
        return {**self.prepare_args(), "client": self.client, "note": self.note, "class_name": self.class_name,
                "date": self.date}


def text(form, name: str) -> str | None:
    """A text field, its spaces at the ends dropped; None when empty (as an option left out)."""
    return str(form.get(name) or "").strip() or None


def read_content(project: Project, value: str | None) -> Choice:
    """The content chosen: one of the studio's ``<id>.<lang>``, else an error listing them."""
    listed = {choice.value: choice for choice in choices(project)}
    if value in listed:
        return listed[value]
    shown = (value or "")[:60]
    raise FormError(f"no content '{shown}' in this studio", field="--content",
                    hint=f"available: {', '.join(listed) or 'none'}")


def read_option(reader, value: str | None, option: str):
    """``value`` read by the command line's ``reader`` (None stays None); its error names ``option``."""
    if value is None:
        return None
    try:
        return reader(value)
    except OptionError as error:
        raise FormError(error.message, field=option, hint=error.hint) from None


def handout_form(project: Project, form) -> HandoutForm:
    """The handout form's values, checked as the command line checks its options."""
    content = read_content(project, text(form, "content"))
    template = text(form, "template")
    return HandoutForm(
        content=content.id, lang=content.lang, template=template.lower() if template else None,
        paper=read_option(parse_paper, text(form, "paper"), "--paper"),
        client=text(form, "client"), note=text(form, "note"), class_name=text(form, "class_name"),
        date=read_option(parse_date, text(form, "date"), "--date"),
        practice_log=form.get("practice_log") == "1",
    )


def field_of(project: Project, problem: Problem, error: HandoutError, content: Choice | None) -> str | None:
    """The form field ``problem`` concerns (None: the form as a whole).

    By the option it names (``--note``); else a layout that cannot hold the
    content, or any other fault of a template, is the layout's; a fault in
    the content file is the content's.
    """
    if problem.field in OPTION_FIELDS:
        return OPTION_FIELDS[problem.field]
    if isinstance(error, (TemplateError, RenderError)):
        return "template"
    if content and problem.file:
        try:
            mine = project.resolve_content(content.id, content.lang)
        except HandoutError:
            return None
        return "content" if Path(problem.file).resolve() == mine.resolve() else None
    return None


def placed(project: Project, error: HandoutError, content: Choice | None) -> list[tuple[str | None, Problem]]:
    """Each problem of ``error`` with the field it is shown beside."""
    return [(field_of(project, problem, error, content), problem) for problem in error.problems]
