"""The typed shape of content and studio files (the public format).

Field names here are the public content format of ``DESIGN.md``; every model
forbids unknown fields so a typo is an error with a suggestion, never a
silently missing paragraph.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, model_validator
from pydantic_core import PydanticCustomError

from handouts import limits
from handouts.content import links
from handouts.terminal import shown

#: Error types of our own (``PydanticCustomError``): the message and hint are already in plain words.
OWN_ERRORS = {"web_address", "colour", "language_tag", "email_address", "not_a_date", "template_name"}


def _refuse(kind: str, message: str, hint: str):
    raise PydanticCustomError(kind, "{message}", {"message": message, "hint": hint})


def _web_address(limit: int):
    def check(value: str) -> str:
        problem = links.web_address_problem(value, limit)
        if problem:
            _refuse("web_address", *problem)
        return value

    return check


def _colour(value: str) -> str:
    """Six hex digits, with or without the '#' (as ``handouts init --color`` takes them): ``#`` + the digits."""
    digits = value.strip().removeprefix("#")
    if not re.fullmatch(r"[0-9A-Fa-f]{6}", digits):
        _refuse("colour", f"'{shown(value, 40)}' is not a colour", "six hex digits such as #1F4E5F")
    return f"#{digits}"


def _template_name(value: str) -> str:
    """A template's name in any case, as ``--template`` takes it (``Trifold`` is ``trifold``)."""
    name = value.strip().lower()
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,63}", name):
        _refuse("template_name", f"'{shown(value, 40)}' is not a template name",
                "letters, digits and hyphens, as `handouts templates` lists them")
    return name


def _language_tag(value: str) -> str:
    if len(value) > limits.MAX_LANG_CHARS or not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*", value):
        _refuse("language_tag", f"'{shown(value, 40)}' is not a language tag", "a code such as en, es or pt-BR")
    return value


def _email(value: str) -> str:
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value):
        _refuse("email_address", f"'{shown(value, 60)}' is not an email address", "write it as name@example.com")
    return value


def _written_date(value):
    """A date as YAML gives it (text); a number is not taken for seconds since 1970."""
    if isinstance(value, (int, float)):
        written = "yes/no" if isinstance(value, bool) else shown(value, 30)
        _refuse("not_a_date", f"{written} is not a date", "write the date as year-month-day, e.g. 2026-11-20")
    return value


def _lower(value):
    return value.strip().lower() if isinstance(value, str) else value


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=limits.MAX_TEXT_CHARS)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,63}$")]
LangTag = Annotated[str, AfterValidator(_language_tag)]
HexColor = Annotated[str, AfterValidator(_colour)]
TemplateName = Annotated[str, AfterValidator(_template_name)]
Paper = Annotated[Literal["letter", "a4"], BeforeValidator(_lower)]
#: A web page's address (a reference's url).
Url = Annotated[str, AfterValidator(_web_address(limits.MAX_URL_CHARS))]
#: An address printed as a QR code too (the studio's website and video).
QrUrl = Annotated[str, AfterValidator(_web_address(limits.MAX_QR_CHARS))]
Email = Annotated[Text, AfterValidator(_email)]
Date = Annotated[dt.date, BeforeValidator(_written_date)]


class Strict(BaseModel):
    """Base for every file model: unknown fields are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Illustration(Strict):
    """A picture: the handout's main one (``illustration``) or a section's (``picture``)."""

    file: Text = Field(description="Image path, relative to the content file")
    alt: Text = Field(description="What the picture shows, for readers who cannot see it")
    caption: Text | None = Field(default=None, description="Printed under the picture")


class Section(Strict):
    heading: Text
    body: Text | None = None
    steps: list[Text] = Field(default_factory=list, description="Numbered, one action each")
    bullets: list[Text] = Field(default_factory=list, description="Unnumbered: props, options")
    picture: Illustration | None = Field(default=None, description="Shows this section's action")

    @model_validator(mode="after")
    def _has_text(self) -> "Section":
        if not (self.body or self.steps or self.bullets):
            raise ValueError("a section needs at least one of body, steps or bullets")
        return self


class Position(Strict):
    label: Text
    summary: Text
    points: list[Text] = Field(default_factory=list)
    sources: list[Slug] = Field(min_length=1, description="Reference ids backing this view")


class Sidebar(Strict):
    title: Text
    question: Text
    positions: list[Position] = Field(min_length=2)
    common_ground: Text
    takeaway: Text


class Reference(Strict):
    """A source: a citation written out in ``text``, or its parts, printed in one style.

    The parts follow the Vancouver style that medical journals and patient
    leaflets use: ``Authors. Title. Journal. Year;Volume(Issue):Pages.``
    """

    id: Slug
    text: Text | None = Field(default=None, description="The whole citation, as it should print")
    authors: Text | None = None
    title: Text | None = None
    journal: Text | None = None
    publisher: Text | None = Field(default=None, description="A book's publisher, or the site of a web page")
    edition: Text | None = None
    year: int | None = Field(default=None, ge=1000, le=9999)
    date: Date | None = Field(default=None, description="A web page's or a leaflet's own date")
    volume: Text | None = None
    issue: Text | None = None
    pages: Text | None = None
    doi: Annotated[str, StringConstraints(pattern=r"^10\.\d{4,9}/\S+$")] | None = None
    url: Url | None = None
    accessed: Date | None = Field(default=None, description="When a web page was last read")

    @model_validator(mode="after")
    def _text_or_parts(self) -> "Reference":
        if not (self.text or (self.title and (self.authors or self.publisher))):
            raise ValueError("give the citation as text, or its title and authors (or publisher)")
        return self

    @property
    def link(self) -> str | None:
        """Where the source can be read: its URL, else its DOI as a link."""
        return self.url or (f"https://doi.org/{self.doi}" if self.doi else None)

    def formatted(self) -> str:
        """The citation as it prints (without its link, which a template adds)."""
        if self.text:
            return self.text
        parts = [_sentence(self.authors), _sentence(self.title)]
        if self.journal:
            where = f"{self.journal}. {self.year or ''}"
            if self.volume:
                where += f";{self.volume}" + (f"({self.issue})" if self.issue else "")
            if self.pages:
                where += f":{self.pages}"
            parts.append(_sentence(where.strip()))
        else:
            parts += [_sentence(self.edition), _sentence(self.publisher)]
            dated = self.date.isoformat() if self.date else (str(self.year) if self.year else None)
            parts.append(_sentence(dated))
        return " ".join(part for part in parts if part)

    def short(self) -> str:
        """The citation in brief, for a layout with little room: who, where (or what), and the year."""
        if self.text:
            return self.text
        who = (self.authors or self.publisher or "").split(",")[0].strip()
        who += " et al" if self.authors and "," in self.authors else ""
        where = self.journal or (self.title if not self.authors or who == self.publisher else self.publisher)
        year = self.year or (self.date.year if self.date else None)
        parts = [_sentence(who), _sentence(where or self.title), _sentence(str(year)) if year else None]
        return " ".join(part for part in parts if part)


def _sentence(text: str | None) -> str | None:
    """``text`` ending in a full stop (unless it ends in one already, or a ? or !)."""
    if not text:
        return None
    return text if text.endswith((".", "?", "!")) else f"{text}."


class Content(Strict):
    """One handout's words, in one language."""

    id: Slug
    lang: LangTag
    title: Text
    subtitle: Text | None = None
    summary: Text
    key_points: list[Text] = Field(default_factory=list, description="What, how long, how to get up, when to stop")
    duration: Text | None = None
    reviewed: Date
    illustration: Illustration | None = None
    sections: list[Section] = Field(min_length=1)
    safety: list[Text] = Field(min_length=1, description="Always printed, in every layout")
    sidebar: Sidebar | None = None
    references: list[Reference] = Field(default_factory=list)
    disclaimer: Text | None = Field(default=None, description="This handout's own; else the studio's")

    def cites(self, sections: list[Section] | None = None, brief: bool = False) -> list[str]:
        """The reference ids that what a layout prints cites: every part, or only ``sections``
        among the sections, and with ``brief`` the debate without its points."""
        from handouts.content.markup import cited_ids

        texts = [self.summary, *self.key_points, *self.safety]
        for section in self.sections if sections is None else sections:
            texts += [section.body or "", *section.steps, *section.bullets,
                      section.picture.caption if section.picture and section.picture.caption else ""]
        found = []
        if self.sidebar:
            for position in self.sidebar.positions:
                texts += [position.summary, *([] if brief else position.points)]
                found += position.sources
            texts += [self.sidebar.common_ground, self.sidebar.takeaway]
        found = [ref for text in texts for ref in cited_ids(text)] + found
        return [ref.id for ref in self.references if ref.id in found]


class Contact(Strict):
    """How clients reach the studio; ``website`` and ``video`` also print as QR codes."""

    phone: Text | None = None
    email: Email | None = None
    address: Text | None = None
    website: QrUrl | None = None
    video: QrUrl | None = Field(default=None, description="A video to watch at home, e.g. the exercise")


class Colors(Strict):
    primary: HexColor = "#1F4E5F"
    accent: HexColor = "#8C4A2F"
    sidebar: HexColor = "#EEF2F3"


class Fonts(Strict):
    """TrueType files (paths relative to studio.yaml); defaults are bundled."""

    regular: Text | None = None
    bold: Text | None = None
    italic: Text | None = None
    bold_italic: Text | None = None


class Studio(Strict):
    """A studio's settings: who hands the sheet out, and how it looks."""

    name: Text
    tagline: Text | dict[LangTag, Text] | None = Field(
        default=None, description="One text, or one per language: {en: ..., es: ...}"
    )
    contact: Contact = Field(default_factory=Contact)
    logo: Text | None = None
    colors: Colors = Field(default_factory=Colors)
    fonts: Fonts = Field(default_factory=Fonts)
    paper: Paper = "letter"
    template: TemplateName = "classic"
    disclaimer: Text | dict[LangTag, Text] | None = Field(
        default=None, description="One text, or one per language: {en: ..., es: ...}"
    )
    reading_grade_max: float = Field(default=8, ge=1, le=20, strict=True, description="English (and languages "
                                     "with no formula of their own): the hardest Flesch-Kincaid grade a block may "
                                     "have")  # strict: `true` is not a grade
    reading_ease_min: float = Field(default=55, ge=0, le=100, strict=True, description="Spanish: the lowest INFLESZ "
                                    "reading ease a block may have (0 hard to 100 easy; 55 reads 'normal')")
    practice_log: bool = Field(default=False, description="Add a week's practice log to every handout")

    def disclaimer_for(self, lang: str) -> tuple[str | None, str | None]:
        """The disclaimer in ``lang`` and the language it is really in (see ``in_language``)."""
        return in_language(self.disclaimer, lang)

    def tagline_for(self, lang: str) -> str | None:
        """The tagline in ``lang`` (see ``in_language``)."""
        return in_language(self.tagline, lang)[0]


def in_language(value: str | dict[str, str] | None, lang: str) -> tuple[str | None, str | None]:
    """A setting given as one text or one per language: its text in ``lang``, and that text's language.

    A mapping is looked up by the full tag, then its primary subtag, then
    English, then the first language given; a plain text has no language.
    """
    if not isinstance(value, dict):
        return value, None
    by_tag = {tag.lower(): (text, tag) for tag, text in value.items()}
    for tag in (lang.lower(), lang.split("-")[0].lower(), "en"):
        if tag in by_tag:
            return by_tag[tag]
    return next(iter(by_tag.values()), (None, None))


class Personal(Strict):
    """What is printed in a handout's fixed personal box."""

    client: Text | None = None
    date: dt.date
    note: Text | None = None
    class_name: Text | None = None
