"""The build API: content + studio + template -> PDF file.

``build_handout`` reads as its steps: gather and validate every input first
(content, studio, template, labels, fonts), then render, then write. It is
what the CLI calls and what Python users call; it prints nothing.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from handouts import __version__, art, branding, fonts, glyphs, personal, render
from handouts.check import check_file
from handouts.content import load_studio, picture_problems
from handouts.errors import ContentError, LayoutOverflowError, Problem, RenderError, TemplateError
from handouts.labels import load_labels
from handouts.markup import strip
from handouts.models import Content, Personal, Studio
from handouts.output import output_name, write_atomic
from handouts.project import Project
from handouts.templating import Template, find_template, point_at_template, render_rml

DEFAULT_CONTENT = "constructive-rest"
DEFAULT_LANG = "en"


@dataclass(frozen=True)
class Job:
    """Everything one layout of one content needs, validated and ready to render."""

    project: Project
    content: Content
    content_file: Path
    studio: Studio
    studio_file: Path
    template: Template
    paper: str
    labels: dict
    logo: branding.Logo | None = None
    practice_log: bool = False
    warnings: tuple[Problem, ...] = ()  # things worth fixing that do not stop the build
    font_set: fonts.FontSet | None = None

    @property
    def font_coverage(self) -> glyphs.Glyphs:
        """What the handout's fonts can draw."""
        return glyphs.for_fonts(self.font_set or fonts.default_fonts())

    @property
    def lang(self) -> str:
        return self.content.lang


@dataclass(frozen=True)
class Built:
    """What a build wrote."""

    path: Path
    pages: int
    warnings: tuple[Problem, ...] = ()
    rml: Path | None = None  # the rendered RML, when kept
    printing: str | None = None  # how to print it, when the layout must be printed one way (print_instruction)


def today() -> dt.date:
    """The default print date: SOURCE_DATE_EPOCH if set (reproducible builds), else today."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date()
    return dt.date.today()


def prepare(
    project: Project,
    content: str | Path = DEFAULT_CONTENT,
    *,
    template: str | None = None,
    paper: str | None = None,
    lang: str | None = None,
    practice_log: bool | None = None,
) -> Job:
    """Load and check every input of a build, before anything is rendered.

    The content passes the same checks as ``handouts check``: errors stop
    the build, warnings travel in the Job for the caller to show.
    """
    studio_file = project.studio_file()
    studio = load_studio(studio_file)
    content_file = project.resolve_content(str(content), lang or DEFAULT_LANG)
    checked = check_file(content_file, studio, studio_file, project)
    if checked.errors:
        raise ContentError.collected(checked.errors)
    loaded = checked.content
    if lang and loaded.lang.split("-")[0] != lang.split("-")[0]:
        raise ContentError(
            f"content is in '{loaded.lang}', not '{lang}'", file=content_file, field="lang",
            hint="drop --lang, or name a content file in that language",
        )
    chosen = find_template(project, template or studio.template)
    paper = paper or studio.paper
    if paper not in chosen.info.papers:
        raise TemplateError(
            f"template '{chosen.name}' does not print on {paper}",
            hint=f"use --paper {' or '.join(chosen.info.papers)}",
        )
    font_set = studio_fonts(studio, studio_file)
    fonts.use(font_set)
    labels = load_labels(project, loaded.lang)
    glyphs.check_inputs(glyphs.for_fonts(font_set), loaded, content_file, studio, studio_file, labels)
    if broken := picture_problems(content_file, loaded):
        raise ContentError.collected(broken)
    log, log_warnings = _practice_log(chosen, studio.practice_log if practice_log is None else practice_log)
    return Job(project, loaded, content_file, studio, studio_file, chosen, paper,
               labels, logo=branding.load_logo(studio, studio_file), practice_log=log,
               warnings=tuple(checked.warnings + branding.colour_problems(studio, studio_file) + log_warnings),
               font_set=font_set)


def _practice_log(template: Template, wanted: bool) -> tuple[bool, list[Problem]]:
    """A fixed layout (a brochure, a card) keeps its page count: no log there, and a warning."""
    pages = template.info.fixed_pages
    if not wanted or not pages:
        return wanted, []
    return False, [Problem(
        f"template '{template.name}' prints on exactly {pages} page(s): the practice log is left out",
        field="practice_log", severity="warning",
        hint="build it with --template classic (or another layout that can grow) to add the log",
    )]


def studio_fonts(studio: Studio, studio_file: Path) -> fonts.FontSet:
    """The studio's own TrueType files where given, the bundled family otherwise."""
    bundled = fonts.default_fonts()
    chosen = {}
    for style in ("regular", "bold", "italic", "bold_italic"):
        name = getattr(studio.fonts, style)
        chosen[style] = (studio_file.parent / name) if name else getattr(bundled, style)
        if not chosen[style].is_file():
            raise ContentError(f"font file not found: {name}", file=studio_file, field=f"fonts.{style}")
    return fonts.FontSet(**chosen, fallback=bundled.fallback)


def context(job: Job, personal_info: Personal | None, *, reserve_box: bool = False) -> dict:
    """What a template receives (documented in templates/README.md).

    ``reserve_box`` keeps the personal box's area clear with nothing in it:
    the shared layer of a batch, stamped per client afterwards.
    """
    width, height = job.template.page_size(job.paper)
    rect = job.template.box_rect(job.paper) if (personal_info or reserve_box) else None
    content, studio = job.content, job.studio
    image, aspect = None, None
    if content.illustration:
        image = str((job.content_file.parent / content.illustration.file).resolve())
        picture_w, picture_h = art.picture_size(Path(image))
        aspect = picture_h / picture_w
    title = handout_title(content.title, personal_info.client if personal_info else None)
    disclaimer = content.disclaimer or studio.disclaimer_for(content.lang)[0] or ""
    return {
        "content": content,
        # studio.disclaimer and studio.tagline are the texts to print, so no layout can print a mapping
        "studio": studio.model_copy(update={"disclaimer": disclaimer, "tagline": studio.tagline_for(content.lang)}),
        "labels": job.labels,
        "colors": studio.colors,
        "page": {"width": width, "height": height, "paper": job.paper},
        "box": {"x": rect[0], "y": rect[1], "width": rect[2], "height": rect[3]} if rect else None,
        "personal": personal_info,
        "image": image,
        "image_aspect": aspect,
        "logo": {"file": str(job.logo.file), "aspect": job.logo.aspect} if job.logo else None,
        "refs": {ref.id: number for number, ref in enumerate(content.references, 1)},
        "practice_log": job.practice_log,
        "disclaimer": disclaimer,
        "text_filter": job.font_coverage.text_filter,
        "text_font": job.font_coverage.font_for,
        "meta": {
            "filename": output_name(content.id, job.template.name),
            "title": title,
            "author": studio.name,
            "subject": strip(content.subtitle or content.summary),
            "creator": f"studio-handouts {__version__}",
        },
    }


def handout_title(title: str, client: str | None) -> str:
    """The PDF's title: the content's, and the client's name on a personalised copy."""
    return f"{title} – {client}" if client else title


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    pages: int
    marks: tuple = ()  # fit.Mark: where each section and panel end landed


def personal_box(job: Job) -> personal.Box:
    """The template's personal box for this job; an error if the template has none."""
    rect = job.template.box_rect(job.paper)
    if rect is None:
        raise TemplateError(f"template '{job.template.name}' has no personal box",
                            hint="choose another template, or build without --client and --note")
    style = personal.BoxStyle(border=job.studio.colors.primary, fill="#FFFFFF", template=job.template.name,
                              scale=job.template.info.personal_box.text_scale)
    return personal.Box(rect, style, job.labels, job.font_coverage.text_filter)


def render_pdf(job: Job, personal_info: Personal | None = None, *, reserve_box: bool = False,
               keep_rml: Path | None = None) -> Rendered:
    """Render one handout to PDF bytes; see ``context`` for ``reserve_box``.

    With ``keep_rml`` the rendered RML is written there first (kept also when
    the page engine rejects it, which is when it is wanted) and errors say so.
    """
    if personal_info:
        glyphs.check_personal(job.font_coverage, personal_info.client, personal_info.note,
                              personal_info.class_name)
    rml = render_rml(job.project, job.template, context(job, personal_info, reserve_box=reserve_box))
    if job.practice_log and '<pageTemplate id="log">' not in rml:
        raise TemplateError(f"template '{job.template.name}' has no page for the practice log",
                            file=job.template.folder / "handout.rml.j2",
                            hint="add {{ m.log_page_template(page, margin, bottom) }} to its <template>, "
                                 "or build without --practice-log")
    hook = None
    if personal_info:
        box = personal_box(job)

        def hook(canvas, page_number):
            if page_number == 1:
                box.paint(canvas, box.layout(personal_info))

    info = render.PdfInfo(lang=job.lang, template=job.template.name,
                          keywords=[job.content.id, job.template.name, job.lang], page_hook=hook)
    source = str(job.template.folder / "handout.rml.j2")
    kept = write_atomic(keep_rml.parent, keep_rml.name, rml.encode("utf-8")) if keep_rml else None
    try:
        pdf = render.rml_to_pdf(rml, info, source=source)
    except RenderError as error:
        point_at_template(job.project, job.template, rml, error, kept)
        raise
    _check_pages(job, info, source)
    return Rendered(pdf, info.pages, tuple(info.marks))


def _check_pages(job: Job, rendered: render.PdfInfo, source: str) -> None:
    """A layout with a page limit that grew past it: name the section that ran over."""
    info, pages = job.template.info, rendered.pages
    limit = info.fixed_pages or info.max_pages
    if limit and job.practice_log:
        limit += 1  # the log's own page
    if not (limit and pages > limit):
        return
    from handouts.fit import spill

    where = spill(rendered.marks, limit)
    if where:
        raise LayoutOverflowError(f"template '{job.template.name}': {where}", file=source,
                                  hint="shorten that part of the content, or choose a layout that can grow")
    raise LayoutOverflowError(
        f"template '{job.template.name}' prints on at most {limit} page(s); this content needs {pages}",
        file=job.content_file,
        hint="shorten the content or choose a template that can grow (large-print)",
    )


def _personal(client: str | None, note: str | None, date: dt.date) -> Personal:
    """The personal box's texts, or an error naming the option that is empty."""
    for option, value in (("--client", client), ("--note", note)):
        if value is not None and not value.strip():
            raise ContentError("is empty", field=option, hint=f"give {option} some text, or leave it out")
    return Personal(client=client, note=note, date=date)


def build_handout(
    content: str | Path = DEFAULT_CONTENT,
    *,
    template: str | None = None,
    paper: str | None = None,
    lang: str | None = None,
    client: str | None = None,
    note: str | None = None,
    date: dt.date | None = None,
    out_dir: Path | None = None,
    project: Project | None = None,
    practice_log: bool | None = None,
    keep_rml: bool = False,
    out_file: Path | None = None,
    strict: bool = False,
) -> Built:
    """Build one handout and write it atomically into ``out_dir`` (or as exactly ``out_file``).

    ``practice_log`` adds a week's log page (None: as studio.yaml says).
    ``keep_rml`` also writes the rendered RML beside the PDF (``<name>.rml``),
    for a look at what the engine was given, also when it fails.
    Warnings from the content checks come back in ``Built.warnings``; with
    ``strict`` they stop the build before anything is written.
    """
    project = project or Project.discover()
    job = prepare(project, content, template=template, paper=paper, lang=lang, practice_log=practice_log)
    if strict and job.warnings:
        count = len(job.warnings)
        raise ContentError.collected([*job.warnings, Problem(
            f"stopped on {count} warning{'s' if count != 1 else ''}: nothing was written", field="strict",
            hint="fix what the warnings say, or build without --strict")])
    printing = print_instruction(job)
    personal_info = None
    if client is not None or note is not None or date:
        glyphs.check_personal(job.font_coverage, client, note)
        personal_info = _personal(client, note, date or today())
    name = out_file.name if out_file else output_name(job.content.id, job.template.name, client)
    out_dir = out_file.parent if out_file else (out_dir or project.default_out_dir())
    rml = out_dir / (name.removesuffix(".pdf") + ".rml") if keep_rml else None
    rendered = render_pdf(job, personal_info, keep_rml=rml)
    path = write_atomic(out_dir, name, rendered.pdf)
    return Built(path, rendered.pages, job.warnings, rml, printing)


def print_instruction(job: Job) -> str | None:
    """How a layout must be printed (both sides, which edge to flip, fold or cut), in the handout's language.

    A template names the label in its ``printing:`` field; the label
    catalogue holds the words (``templates/_base/labels/<lang>.yaml``).
    """
    label = job.template.info.printing
    if label is None:
        return None
    text = job.labels.get(label)
    if not isinstance(text, str) or not text.strip():
        raise TemplateError(f"printing: no label '{label}' in the label catalogue",
                            file=job.template.folder / "template.yaml", field="printing",
                            hint=f"add `{label}: ...` to templates/_base/labels/en.yaml, or fix the name")
    return text.strip()
