"""The build API: content + studio + template -> PDF file.

``build_handout`` reads as its steps: gather and validate every input first
(content, studio, template, labels, fonts), then render, then write. It is
what the CLI calls and what Python users call; it prints nothing.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path

from handouts import __version__, cache, manifest
from handouts.content.check import check_file
from handouts.content.labels import format_date, load_labels
from handouts.content.load import load_studio, picture_fields, picture_problems
from handouts.content.markup import cited_ids, strip
from handouts.content.models import Content, Personal, Studio
from handouts.content.yamlload import load_yaml
from handouts.errors import ContentError, LayoutOverflowError, Problem, RenderError, TemplateError
from handouts.layout import art, branding, fit, fitting, fonts, glyphs, personal, render, rmlguard
from handouts.layout.templating import (FitSetting, Template, find_template, point_at_template, render_rml,
                                        template_names)
from handouts.output import name_for, write_atomic
from handouts.project import Project

DEFAULT_CONTENT = "constructive-rest"
#: Bumped when the fitting step's choices change, so a cached setting from before is not reused.
FIT_CACHE = "1"
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
        try:
            return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date()
        except (OverflowError, OSError, ValueError):
            raise ContentError(f"'{epoch[:30]}' is not a time this tool can print", field="SOURCE_DATE_EPOCH",
                               hint="seconds since 1970 (e.g. 1764547200 for 2025-12-01), or unset it") from None
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
    chosen = find_template(project, template) if template else studio_template(project, studio, studio_file)
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


def studio_template(project: Project, studio: Studio, studio_file: Path) -> Template:
    """The template studio.yaml names; one that does not exist is an error at its line there."""
    if project.find("templates", studio.template, "template.yaml") is None:
        line, column = load_yaml(studio_file).locate(("template",))
        raise TemplateError(f"unknown template '{studio.template}'", file=studio_file, line=line, column=column,
                            field="template", hint=f"available: {', '.join(template_names(project))}")
    return find_template(project, studio.template)


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
    """The studio's own TrueType files where given, the bundled family otherwise (see ``fonts.studio_font_set``)."""
    return fonts.studio_font_set(studio, studio_file)


def context(job: Job, personal_info: Personal | None, *, box_height: float | None = None,
            level: dict | None = None, content: Content | None = None) -> dict:
    """What a template receives (documented in templates/README.md).

    ``box_height`` is the personal box's height when the handout has one
    (with ``personal_info`` none, the box's area is kept clear and empty: the
    shared pages of a batch, stamped per client afterwards); ``level`` is the
    fitting step's setting; ``content`` stands in for the job's (a trial cut).
    """
    width, height = job.template.page_size(job.paper)
    rect = job.template.box_rect(job.paper, box_height) if box_height else None
    content, studio = content or job.content, job.studio
    pictures = {name: _picture(job.content_file.parent / name) for _, name in picture_fields(content)}
    main = pictures.get(content.illustration.file) if content.illustration else None
    title = handout_title(content.title, personal_info.client if personal_info else None)
    disclaimer = content.disclaimer or studio.disclaimer_for(content.lang)[0] or ""
    colors = branding.printed_colors(studio.colors)
    return {
        "content": content,
        # studio.disclaimer and studio.tagline are the texts to print, so no layout can print a mapping
        "studio": studio.model_copy(update={"disclaimer": disclaimer, "tagline": studio.tagline_for(content.lang),
                                            "colors": colors}),
        "labels": job.labels,
        "colors": colors,
        "page": {"width": width, "height": height, "paper": job.paper},
        "box": {"x": rect[0], "y": rect[1], "width": rect[2], "height": rect[3]} if rect else None,
        "personal": personal_info,
        "fit": FitSetting({"space": 1.0, "small": 9.0, **(level if level is not None else job.template.info.fit[0])}),
        # the tightest setting: the type floors (words inside a picture never print under floor.small)
        "floor": {"space": 1.0, "small": 9.0, **job.template.info.fit[-1]},
        "image": main["file"] if main else None,
        "image_aspect": main["aspect"] if main else None,
        "pictures": pictures,
        "logo": {"file": str(job.logo.file), "aspect": job.logo.aspect} if job.logo else None,
        "refs": {ref.id: number for number, ref in enumerate(content.references, 1)},
        "practice_log": job.practice_log,
        "disclaimer": disclaimer,
        "text_filter": job.font_coverage.text_filter,
        "text_font": job.font_coverage.font_for,
        "text_width": fonts.text_width,
        "address_lines": branding.address_lines,
        "phone_link": branding.phone_link,
        "format_date": lambda date: format_date(date, job.labels),
        "cited": lambda texts: [ref for text in texts for ref in cited_ids(text)],
        "meta": {
            "filename": name_for(job),
            "title": title,
            "author": studio.name,
            "subject": strip(content.subtitle or content.summary),
            "creator": f"studio-handouts {__version__}",
        },
    }


def _picture(file: Path) -> dict:
    """A picture as templates use it: its absolute path and its height / width."""
    width, height = art.picture_size(file)
    return {"file": str(file.resolve()), "aspect": height / width}


def handout_title(title: str, client: str | None) -> str:
    """The PDF's title: the content's, and the client's name on a personalised copy."""
    return f"{title} – {client}" if client else title


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    pages: int
    marks: tuple = ()  # fit.Mark: where each part and panel end landed
    level: int = 0  # the fitting setting it was rendered at
    notes: tuple[str, ...] = ()  # what the reader should know about the fit (a page over the aim)


def personal_box(job: Job) -> personal.Box:
    """The template's personal box for this job; an error if the template has none."""
    rect = job.template.box_rect(job.paper)
    if rect is None:
        raise TemplateError(f"template '{job.template.name}' has no personal box",
                            hint="choose another template, or build without --client and --note")
    style = personal.BoxStyle(border=branding.printed_colors(job.studio.colors).primary, fill="#FFFFFF",
                              template=job.template.name, scale=job.template.info.personal_box.text_scale,
                              grows=not job.template.info.fixed_pages)
    return personal.Box(rect, style, job.labels, job.font_coverage.text_filter)


def pages_of(job: Job) -> fitting.Pages:
    """The page count the layout allows, with the practice log's own page."""
    info, log = job.template.info, int(job.practice_log)
    return fitting.Pages(fixed=info.fixed_pages and info.fixed_pages + log, most=info.max_pages and info.max_pages + log,
                     aim=info.aim_pages and info.aim_pages + log)


def render_pdf(job: Job, personal_info: Personal | None = None, *, box_height: float | None = None,
               keep_rml: Path | None = None) -> Rendered:
    """Render one handout to PDF bytes at the first fitting setting that holds it.

    ``box_height`` without ``personal_info`` keeps a personal box of that
    height clear and empty (a batch's shared pages). With ``keep_rml`` the
    RML of the last try is written there (kept also when the page engine
    rejects it, which is when it is wanted) and errors say so.
    """
    laid = None
    if personal_info:
        glyphs.check_personal(job.font_coverage, personal_info.client, personal_info.note,
                              personal_info.class_name)
        laid = personal_box(job).layout(personal_info)
        box_height = laid.height
    trial = Trial(job, personal_info, laid, box_height, keep_rml)
    levels, pages = job.template.info.fit, pages_of(job)
    if far_over := fitting.hopeless(job.content, pages.limit or 40, job.template.page_size(job.paper),
                                    levels[-1].get("size", 12.0)):
        raise refusal(job, trial, far_over)
    # The setting these inputs fitted at last time: a repeated build renders once (and so does the same
    # handout for another client, in a layout whose box does not grow: the title is all that changes).
    key = cache.key(__version__, FIT_CACHE, repr(levels), untitled(trial.rml(0, job.content)))
    known = cache.load("fit", key)
    try:
        fitted = fitting.choose(levels, trial.render, pages, known=known if isinstance(known, int) else None)
    except fit.Overflow as overflow:
        raise refusal(job, trial, overflow) from None
    if known != fitted.level:
        cache.store("fit", key, fitted.level)
    rendered = fitted.result
    return Rendered(rendered.pdf, rendered.pages, rendered.marks, fitted.level, tuple(fitted.notes))


#: The title in RML's <document> tag: the PDF's metadata (with the client's name), never where anything lands.
_TITLE = re.compile(r'(<document\b[^>]*?)\stitle="[^"]*"')


def untitled(rml: str) -> str:
    """``rml`` without its document title: what the fitting step's choice depends on."""
    return _TITLE.sub(r"\1", rml, count=1)


class Trial:
    """A handout's tries at fitting: its RML at a setting, rendered and measured."""

    def __init__(self, job: Job, personal_info: Personal | None, laid, box_height: float | None,
                 keep_rml: Path | None):
        self.job, self.personal, self.laid, self.box_height, self.keep_rml = \
            job, personal_info, laid, box_height, keep_rml
        self.source = str(job.template.folder / "handout.rml.j2")

    def rml(self, level: int, content: Content) -> str:
        job = self.job
        values = context(job, self.personal, box_height=self.box_height, level=job.template.info.fit[level],
                         content=content)
        rml = render_rml(job.project, job.template, values)
        if job.practice_log and '<pageTemplate id="log">' not in rml:
            raise TemplateError(f"template '{job.template.name}' has no page for the practice log",
                                file=job.template.folder / "handout.rml.j2",
                                hint="add {{ m.log_page_template(page, margin, bottom) }} to its <template>, "
                                     "or build without --practice-log")
        return rml

    def render(self, level: int, content: Content | None = None) -> Rendered:
        """The handout at setting ``level``; a fit.Overflow when something does not fit."""
        job = self.job
        rml = self.rml(level, content or job.content)
        laid, box = self.laid, personal_box(job) if self.laid else None

        def hook(canvas, page_number):
            if page_number == 1 and laid:
                box.paint(canvas, laid)

        info = render.PdfInfo(lang=job.lang, template=job.template.name, page_limit=pages_of(job).limit,
                              keywords=[job.content.id, job.template.name, job.lang], page_hook=hook,
                              allowed=allowed_files(job), stamp_place=bool(self.box_height and not laid))
        kept = write_atomic(self.keep_rml.parent, self.keep_rml.name, rml.encode("utf-8")) if self.keep_rml else None
        try:
            pdf = render.rml_to_pdf(rml, info, source=self.source)
        except RenderError as error:
            point_at_template(job.project, job.template, rml, error, kept)
            raise
        return Rendered(pdf, info.pages, tuple(info.marks))


def allowed_files(job: Job) -> rmlguard.Allowed:
    """What a template's RML may use: the content's pictures and the logo; files of its own folder or the studio's."""
    pictures = [job.content_file.parent / name for _, name in picture_fields(job.content)]
    pictures += [job.logo.file] if job.logo else []
    folders = [job.template.folder, job.project.bundled / "templates", job.project.root]
    return rmlguard.allowed(pictures, [folder for folder in folders if folder])


def refusal(job: Job, trial: Trial, overflow: fit.Overflow) -> LayoutOverflowError:
    """The error for content that does not fit this layout even at its tightest setting."""
    levels, pages = job.template.info.fit, pages_of(job)

    def overflow_of(content: Content) -> fit.Overflow | None:
        try:
            result = trial.render(len(levels) - 1, content)
        except fit.Overflow as still:
            return still
        return fitting.shortfall(result, pages.limit) if pages.limit and result.pages > pages.limit else None

    return fitting.refusal(fitting.Refusing(job.template.name, trial.source, levels[-1].get("size"), job.content,
                                            job.content_file, overflow_of), overflow)


def _personal(client: str | None, note: str | None, class_name: str | None, date: dt.date) -> Personal:
    """The personal box's texts, or an error naming the option that is empty."""
    for option, value in (("--client", client), ("--note", note), ("--class-name", class_name)):
        if value is not None and not value.strip():
            raise ContentError("is empty", field=option, hint=f"give {option} some text, or leave it out")
    return Personal(client=client, note=note, class_name=class_name, date=date)


def personal_for(job: Job, client: str | None, note: str | None, class_name: str | None,
                 date: dt.date | None) -> Personal | None:
    """The personal box's texts for these options (any one makes the handout personal), or None.

    What ``build_handout`` prints in the box, for a caller that renders
    without writing (the front desk's live preview): the same inputs, the
    same box. Characters no font has are an error naming the option.
    """
    if not (any(value is not None for value in (client, note, class_name)) or date):
        return None
    glyphs.check_personal(job.font_coverage, client, note, class_name)
    return _personal(client, note, class_name, date or today())


def fit_warnings(job: Job, rendered: Rendered) -> list[Problem]:
    """What the fitting step wants the reader to know, as warnings (a page over the layout's aim)."""
    return [Problem(f"template '{job.template.name}': {note}", severity="warning",
                    hint="it prints on more paper; shorten the content to bring it back, or choose another layout")
            for note in rendered.notes]


def build_handout(
    content: str | Path = DEFAULT_CONTENT,
    *,
    template: str | None = None,
    paper: str | None = None,
    lang: str | None = None,
    client: str | None = None,
    note: str | None = None,
    class_name: str | None = None,
    date: dt.date | None = None,
    out_dir: Path | None = None,
    project: Project | None = None,
    practice_log: bool | None = None,
    keep_rml: bool = False,
    out_file: Path | None = None,
    strict: bool = False,
) -> Built:
    """Build one handout and write it atomically into ``out_dir`` (or as exactly ``out_file``).

    ``client``, ``note``, ``class_name`` and ``date`` fill the personal box
    (any one of them makes the handout personal). ``practice_log`` adds a
    week's log page (None: as studio.yaml says). ``keep_rml`` also writes the
    rendered RML beside the PDF (``<name>.rml``), for a look at what the
    engine was given, also when it fails. Warnings from the content checks
    and the fitting step come back in ``Built.warnings``; with ``strict``
    they stop the build before anything is written.
    """
    project = project or Project.discover()
    job = prepare(project, content, template=template, paper=paper, lang=lang, practice_log=practice_log)
    printing = print_instruction(job)
    personal_info = personal_for(job, client, note, class_name, date)
    name = out_file.name if out_file else name_for(job, client)
    out_dir = out_file.parent if out_file else (out_dir or project.default_out_dir())
    rml = out_dir / (name.removesuffix(".pdf") + ".rml") if keep_rml else None
    rendered = render_pdf(job, personal_info, keep_rml=rml)
    made_from = {"content": str(job.content_file.resolve()), "studio": str(job.studio_file.resolve()),
                 "client": client, "note": note, "class": class_name,
                 "date": personal_info.date.isoformat() if personal_info else None}
    # A file named with --out is the one the user asked for: no record beside it, no warning on replacing it.
    replaced = manifest.replacing(out_dir, name, made_from) if out_file is None else []
    warnings = (*job.warnings, *fit_warnings(job, rendered), *replaced)
    if strict and warnings:
        count = len(warnings)
        raise ContentError.collected([*warnings, Problem(
            f"stopped on {count} warning{'s' if count != 1 else ''}: nothing was written", field="strict",
            hint="fix what the warnings say, or build without --strict")])
    path = write_atomic(out_dir, name, rendered.pdf)
    if out_file is None:
        manifest.remember(out_dir, name, made_from)
    return Built(path, rendered.pages, warnings, rml, printing)


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
