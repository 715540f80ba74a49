"""The typed shape of content and studio files (the public format).

Field names here are the public content format of ``DESIGN.md``; every model
forbids unknown fields so a typo is an error with a suggestion, never a
silently missing paragraph.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,63}$")]
LangTag = Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")]
HexColor = Annotated[str, StringConstraints(pattern=r"^#[0-9A-Fa-f]{6}$")]
Paper = Literal["letter", "a4"]
Url = Annotated[str, StringConstraints(pattern=r"^https?://\S+$")]


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
    date: dt.date | None = Field(default=None, description="A web page's or a leaflet's own date")
    volume: Text | None = None
    issue: Text | None = None
    pages: Text | None = None
    doi: Annotated[str, StringConstraints(pattern=r"^10\.\d{4,9}/\S+$")] | None = None
    url: Url | None = None
    accessed: dt.date | None = Field(default=None, description="When a web page was last read")

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
        if self.accessed:
            parts.append(f"Accessed {self.accessed.isoformat()}.")
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
    reviewed: dt.date
    illustration: Illustration | None = None
    sections: list[Section] = Field(min_length=1)
    safety: list[Text] = Field(min_length=1, description="Always printed, in every layout")
    sidebar: Sidebar | None = None
    references: list[Reference] = Field(default_factory=list)
    disclaimer: Text | None = Field(default=None, description="This handout's own; else the studio's")


class Contact(Strict):
    """How clients reach the studio; ``website`` and ``video`` also print as QR codes."""

    phone: Text | None = None
    email: Text | None = None
    address: Text | None = None
    website: Url | None = None
    video: Url | None = Field(default=None, description="A video to watch at home, e.g. the exercise")


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
    template: Slug = "classic"
    disclaimer: Text | dict[LangTag, Text] | None = Field(
        default=None, description="One text, or one per language: {en: ..., es: ...}"
    )
    reading_grade_max: float = Field(default=8, ge=1, le=20, description="English (and languages with no formula "
                                     "of their own): the hardest Flesch-Kincaid grade a block may have")
    reading_ease_min: float = Field(default=55, ge=0, le=100, description="Spanish: the lowest INFLESZ reading "
                                    "ease a block may have (0 hard to 100 easy; 55 reads 'normal')")
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
