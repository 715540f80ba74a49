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
    file: Text = Field(description="Image path, relative to the content file")
    alt: Text = Field(description="What the picture shows, for readers who cannot see it")


class Section(Strict):
    heading: Text
    body: Text | None = None
    steps: list[Text] = Field(default_factory=list, description="Numbered, one action each")
    bullets: list[Text] = Field(default_factory=list, description="Unnumbered: props, options")

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
    id: Slug
    text: Text
    url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")] | None = None


class Content(Strict):
    """One handout's words, in one language."""

    id: Slug
    lang: LangTag
    title: Text
    subtitle: Text | None = None
    summary: Text
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
    tagline: Text | None = None
    contact: Contact = Field(default_factory=Contact)
    logo: Text | None = None
    colors: Colors = Field(default_factory=Colors)
    fonts: Fonts = Field(default_factory=Fonts)
    paper: Paper = "letter"
    template: Slug = "classic"
    disclaimer: Text | dict[LangTag, Text] | None = Field(
        default=None, description="One text, or one per language: {en: ..., es: ...}"
    )
    reading_grade_max: float = Field(default=8, ge=1, le=20)
    practice_log: bool = Field(default=False, description="Add a week's practice log to every handout")

    def disclaimer_for(self, lang: str) -> tuple[str | None, str | None]:
        """The disclaimer in ``lang`` and the language it is really in.

        A mapping is looked up by the full tag, then its primary subtag, then
        English, then the first language given; a plain text has no language.
        """
        if not isinstance(self.disclaimer, dict):
            return self.disclaimer, None
        by_tag = {tag.lower(): (text, tag) for tag, text in self.disclaimer.items()}
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
