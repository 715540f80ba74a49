"""Templates: finding them, their metadata, and the Jinja environment.

A template is a folder ``templates/<name>/`` holding ``template.yaml`` and
``handout.rml.j2``. Lookup goes through the project's layers, so a studio's
``templates/classic/`` shadows the built-in one; the built-ins stay reachable
as ``!builtin/<name>/...`` so an override can extend the very template it
replaces and change a single block.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2
from pydantic import Field, model_validator

from handouts import markup
from handouts.content import validate
from handouts.errors import TemplateError
from handouts.models import Paper, Strict
from handouts.project import Project
from handouts.yamlload import load_yaml

MAIN = "handout.rml.j2"
BUILTIN_PREFIX = "!builtin"

#: Paper sizes in points (portrait).
PAPER_SIZES = {"letter": (612.0, 792.0), "a4": (595.2756, 841.8898)}


class Box(Strict):
    """The fixed personal box, placed from the page's top-right corner (points).

    Give its ``width``, or ``left`` instead to span the text column on every
    paper; ``text_scale`` enlarges its text (large print).
    """

    top: float = Field(ge=0)
    right: float = Field(ge=0)
    width: float | None = Field(default=None, gt=0)
    left: float | None = Field(default=None, ge=0)
    height: float = Field(gt=0)
    text_scale: float = Field(default=1.0, ge=0.8, le=3.0)

    @model_validator(mode="after")
    def _width_or_left(self) -> "Box":
        if (self.width is None) == (self.left is None):
            raise ValueError("give either width or left")
        return self


class TemplateInfo(Strict):
    """What ``template.yaml`` says about a layout."""

    title: str
    description: str
    papers: list[Paper] = Field(default_factory=lambda: ["letter", "a4"])
    orientation: str = Field(default="portrait", pattern="^(portrait|landscape)$")
    fixed_pages: int | None = Field(default=None, ge=1, description="Exact page count, or none")
    max_pages: int | None = Field(default=None, ge=1, description="Most pages the layout may take")
    personal_box: Box | None = None


class Template:
    """A template found in one of the project's layers."""

    def __init__(self, name: str, folder: Path, info: TemplateInfo):
        self.name, self.folder, self.info = name, folder, info

    def page_size(self, paper: str) -> tuple[float, float]:
        width, height = PAPER_SIZES[paper]
        return (height, width) if self.info.orientation == "landscape" else (width, height)

    def box_rect(self, paper: str) -> tuple[float, float, float, float] | None:
        """The personal box as (x, y, width, height) in PDF coordinates."""
        box = self.info.personal_box
        if box is None:
            return None
        page_w, page_h = self.page_size(paper)
        width = box.width if box.width is not None else page_w - box.left - box.right
        return (page_w - box.right - width, page_h - box.top - box.height, width, box.height)


def template_names(project: Project) -> list[str]:
    """Every template name, across the studio's and the built-in folders."""
    names = set()
    for layer in project.layers:
        for meta in (layer / "templates").glob("*/template.yaml"):
            if not meta.parent.name.startswith("_"):
                names.add(meta.parent.name)
    return sorted(names)


def find_template(project: Project, name: str) -> Template:
    """The template called ``name``; unknown names list what exists and where."""
    if not name.replace("-", "").isalnum():
        raise TemplateError(f"'{name}' is not a template name", hint="see `handouts templates`")
    meta = project.find("templates", name, "template.yaml")
    if meta is None:
        searched = ", ".join(str(layer / "templates") for layer in project.layers)
        raise TemplateError(
            f"unknown template '{name}'",
            hint=f"available: {', '.join(template_names(project))}; searched {searched}",
        )
    return Template(name, meta.parent, validate(load_yaml(meta), TemplateInfo))


@jinja2.pass_context
def _md(context, text):
    return markup.paragraphs(text, context.get("text_filter", str))


@jinja2.pass_context
def _inline(context, text):
    return markup.inline(text, context.get("text_filter", str))


@jinja2.pass_context
def _text(context, text):
    return markup.plain(text, context.get("text_filter", str))


@lru_cache(maxsize=8)
def environment(layers: tuple[Path, ...], bundled: Path) -> jinja2.Environment:
    """One Jinja environment per set of layers (compiled templates are cached)."""
    layered = jinja2.ChoiceLoader([jinja2.FileSystemLoader(layer / "templates") for layer in layers])
    loader = jinja2.PrefixLoader(
        {BUILTIN_PREFIX: jinja2.FileSystemLoader(bundled / "templates")}, delimiter="/"
    )
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader([loader, layered]),
        # Compiled templates kept between runs (checked against the source's
        # mtime): compiling them costs a cold build about 130 ms.
        bytecode_cache=jinja2.FileSystemBytecodeCache(),
        autoescape=jinja2.select_autoescape(enabled_extensions=("rml.j2", "rml", "xml"), default=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.do"],
    )
    env.filters.update(md=_md, inline=_inline, text=_text)
    return env


def template_blocks(project: Project, template: Template) -> list[str]:
    """The ``{% block %}`` names a studio override can replace, in no special order."""
    env = environment(tuple(project.layers), project.bundled)
    try:
        return sorted(env.get_template(f"{template.name}/{MAIN}").blocks)
    except jinja2.TemplateError as exc:
        raise TemplateError(f"template: {exc}", file=template.folder / MAIN) from None


def render_rml(project: Project, template: Template, context: dict) -> str:
    """Fill ``template`` with ``context``; Jinja errors name the template file and line."""
    env = environment(tuple(project.layers), project.bundled)
    name = f"{template.name}/{MAIN}"
    try:
        return env.get_template(name).render(context)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(
            f"template syntax: {exc.message}", file=exc.filename or name, line=exc.lineno
        ) from None
    except jinja2.UndefinedError as exc:
        file, line = _template_frame(exc)
        raise TemplateError(
            "template uses an undefined value: "
            + str(exc.message).replace("'jinja2.environment.TemplateModule object'", "the imported macros"),
            file=file or name,
            line=line,
            hint="check the spelling against the template context and macros in templates/README.md",
        ) from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(f"template file not found: {exc.name}", hint="check {% extends %} and {% import %}") from None
    except (TypeError, ValueError, LookupError, ArithmeticError, AttributeError) as exc:
        file, line = _template_frame(exc)
        if file is None:
            raise  # not the template's doing: a bug of ours
        raise TemplateError(f"template expression failed: {type(exc).__name__}: {exc}", file=file, line=line,
                            hint="check the expression on that line") from None


def _template_frame(exc: BaseException) -> tuple[str | None, int | None]:
    """The innermost template file and line in a traceback, if any."""
    found = (None, None)
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found
