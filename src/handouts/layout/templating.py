"""Templates: finding them, their metadata, and the Jinja environment.

A template is a folder ``templates/<name>/`` holding ``template.yaml`` and
``handout.rml.j2``. Lookup goes through the project's layers, so a studio's
``templates/classic/`` shadows the built-in one; the built-ins stay reachable
as ``!builtin/<name>/...`` so an override can extend the very template it
replaces and change a single block.
"""

from __future__ import annotations

import difflib
import linecache
import re
from functools import lru_cache
from pathlib import Path

import jinja2
import jinja2.meta
import jinja2.sandbox
from pydantic import Field, field_validator, model_validator

from handouts.content import markup
from handouts.content.load import model_in, validate
from handouts.content.models import Paper, Strict
from handouts.content.yamlload import load_yaml
from handouts.errors import HandoutError, Problem, RenderError, TemplateError
from handouts.layout import sandbox
from handouts.project import Project

MAIN = "handout.rml.j2"
BUILTIN_PREFIX = "!builtin"

#: Paper sizes in points (portrait).
PAPER_SIZES = {"letter": (612.0, 792.0), "a4": (595.2756, 841.8898)}


class Box(Strict):
    """The personal box's place on page 1 (points from the page's edges) and its least height.

    Give two of ``left``, ``width`` and ``right``: ``right`` and ``width``
    place it from the top-right corner, ``left`` and ``width`` from the
    top-left, ``left`` and ``right`` span it across the page on every paper.
    ``text_scale`` enlarges its text (large print).
    """

    top: float = Field(ge=0)
    right: float | None = Field(default=None, ge=0)
    width: float | None = Field(default=None, gt=0)
    left: float | None = Field(default=None, ge=0)
    height: float = Field(gt=0)
    text_scale: float = Field(default=1.0, ge=0.8, le=3.0)

    @model_validator(mode="after")
    def _two_of_three(self) -> "Box":
        if sum(value is not None for value in (self.left, self.width, self.right)) != 2:
            raise ValueError("give two of left, width and right")
        return self


class TemplateInfo(Strict):
    """What ``template.yaml`` says about a layout."""

    title: str
    description: str
    papers: list[Paper] = Field(default_factory=lambda: ["letter", "a4"])
    orientation: str = Field(default="portrait", pattern="^(portrait|landscape)$")
    max_pages: int | None = Field(default=None, ge=1, le=40, description="Most pages the layout may take")
    aim_pages: int | None = Field(default=None, ge=1, le=40, description="Pages it should take: more is a warning")
    fixed_pages: int | None = Field(default=None, ge=1, le=12, description="Exact page count, or none")
    personal_box: Box | None = None
    printing: str | None = Field(default=None, description="The label saying how to print it: both sides, "
                                 "which edge to flip, fold or cut (e.g. print_trifold)")
    fit: list[dict[str, float]] = Field(
        default_factory=lambda: [{}], min_length=1, max_length=24,
        description="Settings the fitting step tries in order, roomiest first; the template reads them as `fit`",
    )

    @field_validator("aim_pages")
    @classmethod
    def _aim_within_most(cls, value, info):
        most = info.data.get("max_pages")
        if value is not None and most is not None and value > most:
            raise ValueError(f"aim_pages ({value}) is more than max_pages ({most})")
        return value

    @field_validator("fixed_pages")
    @classmethod
    def _fixed_or_growing(cls, value, info):
        if value is not None and (info.data.get("max_pages") or info.data.get("aim_pages")):
            raise ValueError("a layout has fixed_pages (it never grows), or max_pages and aim_pages, not both")
        return value

    @field_validator("fit")
    @classmethod
    def _same_names(cls, levels):
        if any(set(level) != set(levels[0]) for level in levels):
            raise ValueError("every fit setting must give the same names as the first")
        return levels


class Template:
    """A template found in one of the project's layers."""

    def __init__(self, name: str, folder: Path, info: TemplateInfo):
        self.name, self.folder, self.info = name, folder, info

    def page_size(self, paper: str) -> tuple[float, float]:
        width, height = PAPER_SIZES[paper]
        return (height, width) if self.info.orientation == "landscape" else (width, height)

    def box_rect(self, paper: str, height: float | None = None) -> tuple[float, float, float, float] | None:
        """The personal box as (x, y, width, height) in PDF coordinates, ``height`` tall if given.

        The box hangs from its top edge: a taller box reaches further down.
        """
        box = self.info.personal_box
        if box is None:
            return None
        page_w, page_h = self.page_size(paper)
        width = box.width if box.width is not None else page_w - box.left - box.right
        x = box.left if box.left is not None else page_w - box.right - width
        height = height or box.height
        return (x, page_h - box.top - height, width, height)


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
    located = load_yaml(meta)
    base = located.data.pop("extends", None) if isinstance(located.data, dict) else None
    if base is not None:
        located.data = {**_base_settings(project, name, base, meta), **located.data}
    template = Template(name, meta.parent, validate(located, TemplateInfo))
    if problems := box_problems(template, located):
        raise TemplateError.collected(problems)
    return template


def _base_settings(project: Project, name: str, base, meta: Path) -> dict:
    """The template.yaml a layout ``extends:``: its settings are the defaults of the one extending it.

    A studio's template of the same name as the built-in extends the built-in.
    """
    if not isinstance(base, str) or not base.replace("-", "").isalnum():
        raise TemplateError(f"extends: {base!r} is not a template name", file=meta, field="extends",
                            hint="name a template, e.g. extends: classic")
    layer = Project(root=None, bundled=project.bundled) if base == name else project
    found = layer.find("templates", base, "template.yaml")
    if found is None or found == meta:
        raise TemplateError(f"extends: unknown template '{base}'", file=meta, field="extends",
                            hint=f"available: {', '.join(template_names(project))}")
    data = load_yaml(found).data
    return {key: value for key, value in data.items() if key != "extends"} if isinstance(data, dict) else {}


def box_problems(template: Template, located) -> list[Problem]:
    """The personal box must lie on the page, on every paper the layout prints on (else no client's name shows)."""
    box = template.info.personal_box
    if box is None:
        return []
    side = "left" if box.left is not None else "right"
    for paper in template.info.papers:
        page_w, page_h = template.page_size(paper)
        x, y, width, _ = template.box_rect(paper)
        wrong = None
        if width <= 0:
            wrong = ("left", f"left + right is {page_w - width:g} pt, no room on a page {page_w:g} pt wide",
                     f"keep left + right under {page_w:g}")
        elif x < 0 or x + width > page_w:
            edge = box.left if box.left is not None else box.right
            wrong = (side, f"{side} + width is {edge + width:g} pt, beyond the page's {page_w:g} pt width",
                     f"keep {side} + width within {page_w:g}")
        elif y < 0:
            wrong = ("top", f"top + height is {box.top + box.height:g} pt, below the page's {page_h:g} pt height",
                     f"keep top + height within {page_h:g}")
        if wrong:
            field, message, hint = wrong
            line, column = located.locate(("personal_box", field))
            return [Problem(f"the personal box lies off the page on {paper}: {message}", located.file, line, column,
                            f"personal_box.{field}", f"{hint} (points from the page's edges)")]
    return []


def _cite(context) -> markup.Cite:
    return markup.citation_links(context.get("refs") or {})


@jinja2.pass_context
def _md(context, text):
    return markup.paragraphs(text, context.get("text_filter", str), _cite(context))


@jinja2.pass_context
def _inline(context, text):
    return markup.inline(text, context.get("text_filter", str), _cite(context))


@jinja2.pass_context
def _text(context, text):
    return markup.plain(text, context.get("text_filter", str))


@lru_cache(maxsize=8)
def environment(layers: tuple[Path, ...], bundled: Path) -> jinja2.Environment:
    """One sandboxed Jinja environment per set of layers (compiled templates are cached)."""
    layered = jinja2.ChoiceLoader([sandbox.FolderLoader(layer / "templates") for layer in layers])
    loader = jinja2.PrefixLoader({BUILTIN_PREFIX: sandbox.FolderLoader(bundled / "templates")}, delimiter="/")
    env = sandbox.Sandbox(
        loader=jinja2.ChoiceLoader([loader, layered]),
        bytecode_cache=sandbox.Bytecode(),
        autoescape=jinja2.select_autoescape(enabled_extensions=("rml.j2", "rml", "xml"), default=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.do"],
        finalize=sandbox.printable,
    )
    env.globals = {"range": sandbox.safe_range, "dict": env.globals["dict"], "namespace": env.globals["namespace"]}
    env.filters.update(md=_md, inline=_inline, text=_text, format=sandbox.safe_format)
    return env


def template_blocks(project: Project, template: Template) -> list[str]:
    """The ``{% block %}`` names a studio override can replace, in no special order."""
    env = environment(tuple(project.layers), project.bundled)
    try:
        return sorted(env.get_template(f"{template.name}/{MAIN}").blocks)
    except jinja2.TemplateError as exc:
        raise TemplateError(f"template: {exc}", file=template.folder / MAIN) from None


class FitSetting(dict):
    """One setting of a template's ``fit:`` as the template reads it (``fit.size``): named in errors."""


def render_rml(project: Project, template: Template, context: dict) -> str:
    """Fill ``template`` with ``context``; Jinja errors name the template file and line."""
    env = environment(tuple(project.layers), project.bundled)
    name = f"{template.name}/{MAIN}"
    try:
        return sandbox.bounded(env.get_template(name).generate(context))
    except jinja2.sandbox.SecurityError as exc:
        raise _refused(exc, name) from None
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(
            f"template syntax: {exc.message}", file=exc.filename or name, line=exc.lineno,
            hint="check that every {{ has its }} and every {% if %} / {% for %} its {% end... %}",
        ) from None
    except jinja2.UndefinedError as exc:
        if isinstance(exc.__context__, jinja2.sandbox.SecurityError) or "is unsafe" in (exc.message or ""):
            raise _refused(exc, name) from None
        wrong = re.search(r"'([^']+)' is undefined|has no attribute '([^']+)'", exc.message or "")
        file, line = _template_frame(exc, wrong and (wrong.group(1) or wrong.group(2)))
        message = re.sub(r"'(?:[\w.]+\.)?(\w+) object' has no attribute", r"\1 has no field", exc.message or "")
        message = message.replace("TemplateModule has no field", "the imported macros have no")
        if setting := re.match(r"FitSetting has no field '(\w+)'", message):
            # The RML is right (often a built-in one that this layout extends); its template.yaml lacks the setting.
            raise TemplateError(
                f"the layout reads the fit setting '{setting.group(1)}' (at {'/'.join(Path(file or name).parts[-2:])}"
                f"{f':{line}' if line else ''}), which template.yaml's fit: does not give",
                file=template.folder / "template.yaml", field="fit",
                hint=f"give each setting under fit: a {setting.group(1)}:, or extends: the layout whose RML it uses "
                     "to take its fit:") from None
        raise TemplateError(
            f"template uses an undefined value: {message}",
            file=file or name,
            line=line,
            hint=_undefined_hint(message, _known_names(context) | _template_names(env, name)),
        ) from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(f"template file not found: {exc.name}", file=_template_frame(exc)[0] or name,
                            hint="check {% extends %}, {% import %} and {% include %}") from None
    except HandoutError:
        raise
    except Exception as exc:  # a template's own mistake: {{ 1 / 0 }}, a filter given the wrong type
        file, line = _template_frame(exc)
        if file is None:
            raise  # not the template's doing: a bug of ours
        raise TemplateError(f"template expression failed: {type(exc).__name__}: {exc}", file=file, line=line,
                            hint="check the expression on that line") from exc


def _refused(exc: Exception, name: str) -> TemplateError:
    """What the sandbox stopped, at the template line that asked for it."""
    what = re.search(r"attribute '([^']+)'", str(exc))
    file, line = _template_frame(exc, what and what.group(1))
    reason = f"uses '{what.group(1)}', which a template may not" if what else f"was stopped: {exc}"
    return TemplateError(f"the template {reason} (templates are sandboxed)", file=file or name, line=line,
                         hint="a template may use the values and filters templates/README.md lists, nothing else")


def _known_names(context: dict) -> set[str]:
    """Every name a template can use: context keys and the fields of the models in it."""
    names = set(context)
    for value in context.values():
        fields = getattr(type(value), "model_fields", None)
        if fields:
            names |= set(fields)
            for info in fields.values():
                names |= set(getattr(model_in(info.annotation), "model_fields", {}))
        elif isinstance(value, dict):
            names |= {key for key in value if isinstance(key, str)}
    return names


_DEFINED = re.compile(r"\{%-?\s*(?:set|for|macro|import\s+\S+\s+as)\s+([\w\s,]+?)(?:=|\bin\b|\(|-?%\})")


def _template_names(env: jinja2.Environment, name: str) -> set[str]:
    """Names a template and the templates it uses define themselves ({% set %}, {% for %}, macros)."""
    names = set()
    for _, source in _sources(env, name, set()):
        for match in _DEFINED.finditer(source):
            names |= {word for word in re.split(r"[\s,]+", match.group(1)) if word}
    return names


def _undefined_hint(message: str, known: set[str]) -> str:
    """Did-you-mean for ``'x' is undefined`` and ``... has no field 'x'``."""
    match = re.search(r"'([^']+)' is undefined|(?:has no field|have no) '([^']+)'", message)
    wrong = match and (match.group(1) or match.group(2))
    close = difflib.get_close_matches(wrong, sorted(known), n=1) if wrong else []
    readme = "templates/README.md lists what a template receives"
    return f"did you mean '{close[0]}'? {readme}" if close else readme


def _template_frame(exc: BaseException, word: str | None = None) -> tuple[str | None, int | None]:
    """The innermost template file and line in a traceback, if any.

    With ``word`` (an undefined name), the innermost line that writes it: a
    typo passed into a macro fails inside the macro, but was made in the caller.
    """
    frames = []
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            frames.append((filename, tb.tb_lineno))
        tb = tb.tb_next
    for filename, line in reversed(frames if word else []):
        if re.search(rf"\b{re.escape(word)}\b", linecache.getline(filename, line)):
            return filename, line
    return frames[-1] if frames else (None, None)


_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}")


def _sources(env: jinja2.Environment, name: str, seen: set[str]) -> list[tuple[str, str]]:
    """``(filename, source)`` of a template and every template it extends, imports or includes."""
    if name in seen:
        return []
    seen.add(name)
    try:
        source, filename, _ = env.loader.get_source(env, name)
        referenced = jinja2.meta.find_referenced_templates(env.parse(source))
    except (jinja2.TemplateError, HandoutError):
        return []
    found = [(filename, source)]
    for other in referenced:
        if other:
            found += _sources(env, other, seen)
    return found


def rml_origin(project: Project, template: Template, rml_line: str) -> tuple[str, int] | None:
    """The template file and line that most likely wrote ``rml_line`` (a line of rendered RML).

    A line's literal parts (the text between its ``{{ }}`` and ``{% %}``)
    must all appear, in order, in the rendered line; the line with the most
    literal text that does is the one shown to the user.
    """
    env = environment(tuple(project.layers), project.bundled)
    target = " ".join(rml_line.split())
    best = (0, None, 0)
    for filename, source in _sources(env, f"{template.name}/{MAIN}", set()):
        for number, line in enumerate(source.splitlines(), 1):
            pieces = [" ".join(piece.split()) for piece in _JINJA.split(line)]
            pieces = [piece for piece in pieces if piece]
            score = sum(map(len, pieces))
            if score > best[0] and _in_order(pieces, target):
                best = (score, filename, number)
    return (best[1], best[2]) if best[1] and best[0] >= 6 else None


def _in_order(pieces: list[str], text: str) -> bool:
    at = 0
    for piece in pieces:
        at = text.find(piece, at)
        if at < 0:
            return False
        at += len(piece)
    return True


def point_at_template(project: Project, template: Template, rml: str, error: RenderError,
                      kept: Path | None = None) -> None:
    """Say where in the template an engine error comes from, and where the rendered RML is."""
    problem, line = error.problems[0], error.rml_line
    if not line:
        return
    lines = rml.splitlines()
    origin = rml_origin(project, template, lines[line - 1]) if 0 < line <= len(lines) else None
    if origin:
        problem.file, problem.line = origin
    problem.message = f"{problem.message} (rendered RML line {line})"
    seen = f"see line {line} of the rendered RML, kept in {kept}" if kept else \
        f"build again with --keep-rml to keep the rendered RML and see its line {line}"
    problem.hint = f"{problem.hint}; {seen}" if problem.hint else seen
