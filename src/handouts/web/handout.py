"""One client's handout: the form, the layout pictures, the live preview, Download and Print.

The preview is page 1 of the real PDF (``build.prepare`` and
``build.render_pdf``, as ``handouts build`` renders it), drawn to PNG in this
process; Download and Print call ``build.build_handout``, which writes the
file ``handouts build`` would write with the same options, into the
studio's output folder, and the browser gets it by id.
"""

from __future__ import annotations

import base64
import io
import logging
from dataclasses import dataclass, field

from starlette.responses import JSONResponse, RedirectResponse, Response

from handouts import build
from handouts.content.load import load_studio
from handouts.errors import HandoutError
from handouts.layout.gallery import first_page
from handouts.layout.preview import page_pngs
from handouts.layout.templating import find_template, template_names
from handouts.project import Project
from handouts.terminal import shown
from handouts.web.desk import new_id
from handouts.web.forms import Choice, FormError, choices, first_choice, handout_form, placed, read_content, text
from handouts.web.pages import by_field, page, problem_lines

#: Page 1 at 72 dpi: a letter page is 612 pixels wide, sharp enough beside the form, quick to draw.
PREVIEW_SCALE = 1.0
PICTURE_HEIGHT = 300
FIELDS = ("content", "template", "paper", "client", "note", "class_name", "date")

log = logging.getLogger("handouts.serve")


@dataclass
class Preview:
    """Page 1 of a handout as the page shows it, or the problems that stopped it, by field."""

    png: bytes | None = None
    pages: int = 0
    warnings: list[str] = field(default_factory=list)
    printing: str | None = None
    problems: dict[str, list[str]] = field(default_factory=dict)

    @property
    def image(self) -> str | None:
        return f"data:image/png;base64,{base64.b64encode(self.png).decode()}" if self.png else None

    def record(self, version: str) -> dict:
        return {"version": version, "image": self.image, "pages": self.pages, "warnings": self.warnings,
                "printing": self.printing, "problems": self.problems}


def render_preview(project: Project, form) -> Preview:
    """The preview of the handout ``form`` asks for (on the render thread)."""
    content = None
    try:
        content = read_content(project, text(form, "content"))
        asked = handout_form(project, form)
        job = build.prepare(project, asked.content, **asked.prepare_args())
        personal = build.personal_for(job, asked.client, asked.note, asked.class_name, asked.date)
        rendered = build.render_pdf(job, personal)
        [png] = page_pngs(rendered.pdf, scale=PREVIEW_SCALE, pages=1, optimize=False)
        warnings = [*job.warnings, *build.fit_warnings(job, rendered)]
        return Preview(png, rendered.pages, problem_lines(warnings), build.print_instruction(job))
    except HandoutError as error:
        return Preview(problems=by_field(placed(project, error, content)))


@dataclass(frozen=True)
class Card:
    """One layout in the picker: its picture (page 1 with this content), or why this content does not fit it."""

    name: str
    title: str
    description: str
    picture: str | None = None  # the picture's address
    problems: tuple = ()  # errors.Problem

    @property
    def reasons(self) -> list[str]:
        """What stops this layout, in short (the card is small; the full lines are its tooltip)."""
        return [problem.message for problem in self.problems]

    @property
    def lines(self) -> str:
        return "\n".join(problem_lines(self.problems))


def _stamp(project: Project, content: Choice, name: str) -> tuple:
    """When the files a layout's picture is made from were last changed: a new stamp, a new picture."""
    try:
        files = [project.studio_file(), project.resolve_content(content.id, content.lang),
                 *sorted(find_template(project, name).folder.glob("*"))]
        return tuple(file.stat().st_mtime_ns for file in files)
    except (HandoutError, OSError):
        return ()


def picture(desk, project: Project, name: str, content: Choice, paper: str | None) -> bytes | tuple:
    """Page 1 of layout ``name`` with ``content`` as PNG bytes, or the problems that stop it (on the render thread)."""
    key = (name, content.value, paper, _stamp(project, content, name))
    if key not in desk.pictures:
        try:
            image, _ = first_page(project, name, content=content.id, lang=content.lang, paper=paper,
                                  height=PICTURE_HEIGHT)
            buffer = io.BytesIO()
            image.save(buffer, format="PNG")
            desk.pictures[key] = buffer.getvalue()
        except HandoutError as error:
            desk.pictures[key] = tuple(error.problems)
    return desk.pictures[key]


def cards(desk, project: Project, content: Choice, paper: str | None) -> list[Card]:
    """Every layout, with its picture or its problems (on the render thread)."""
    made = []
    for name in template_names(project):
        try:
            info = find_template(project, name).info
        except HandoutError as error:
            made.append(Card(name, name, "", problems=tuple(error.problems)))
            continue
        drawn = picture(desk, project, name, content, paper)
        address = f"/layouts/{name}.png?content={content.value}&paper={paper or ''}"
        made.append(Card(name, info.title, info.description, address if isinstance(drawn, bytes) else None,
                         () if isinstance(drawn, bytes) else drawn))
    return made


def defaults(project: Project) -> dict:
    """The form as it first shows: the studio's layout and paper, its own content in English if it has some."""
    studio = load_studio(project.studio_file())
    content = first_choice(project, f"{build.DEFAULT_CONTENT}.{build.DEFAULT_LANG}")
    return {"content": content, "template": studio.template, "paper": studio.paper,
            "practice_log": "1" if studio.practice_log else ""}


async def show(request, values: dict, preview: Preview, status: int = 200):
    """The handout page with ``values`` in the form and ``preview`` beside it."""
    app = request.app.state
    project = app.project
    try:
        content = read_content(project, values.get("content"))
        layouts = await app.desk.renderer.run(cards, app.desk, project, content, values.get("paper") or None)
    except FormError:
        layouts = []
    return page(request, "handout.html", status, values=values, choices=choices(project), layouts=layouts,
                preview=preview, view=new_id())


async def home(request):
    """GET /: the form with the studio's defaults, and the preview of what they make."""
    app = request.app.state
    values = defaults(app.project)
    return await show(request, values, await app.desk.renderer.run(render_preview, app.project, values))


async def submit(request, form):
    """POST /: the form sent without the page's script: Show preview, Download PDF or Print."""
    app = request.app.state
    values = {name: text(form, name) or "" for name in (*FIELDS, "practice_log")}
    if form.get("action") not in ("download", "print"):
        preview = await app.desk.renderer.run(render_preview, app.project, form)
        return await show(request, values, preview, 422 if preview.problems else 200)
    try:
        built = await app.desk.renderer.run(_build, app.project, form)
    except HandoutError as error:
        content = _content_or_none(app.project, values["content"])
        return await show(request, values, Preview(problems=by_field(placed(app.project, error, content))), 422)
    if app.settings.verbose:
        log.info(shown(f"built {built.path} ({built.pages} pages)"))
    file_id = app.desk.files.add(built.path)
    return RedirectResponse(f"/files/{file_id}" + ("?view=print" if form.get("action") == "print" else ""), 303)


def _build(project: Project, form) -> build.Built:
    asked = handout_form(project, form)
    return build.build_handout(asked.content, project=project, **asked.build_args())


def _content_or_none(project: Project, value: str) -> Choice | None:
    try:
        return read_content(project, value)
    except FormError:
        return None


async def preview(request, form):
    """POST /preview: the page's script asks for the preview of what the form holds now (JSON)."""
    app = request.app.state
    view, version = str(form.get("view") or ""), str(form.get("version") or "")
    ticket = app.desk.latest.take(view)

    def newest_only():
        if not app.desk.latest.current(view, ticket):
            return None  # the page asked again while this one waited: render that one instead
        return render_preview(app.project, form)

    made = await app.desk.renderer.run(newest_only)
    if made is None:
        return JSONResponse({"version": version, "superseded": True})
    return JSONResponse(made.record(version), status_code=422 if made.problems else 200)


async def layouts(request):
    """GET /layouts: the layout picker for another content or paper (the page's script swaps it in)."""
    app = request.app.state
    values = {"content": request.query_params.get("content", ""), "paper": request.query_params.get("paper", ""),
              "template": request.query_params.get("template", "")}
    try:
        content = read_content(app.project, values["content"])
    except FormError as error:
        return page(request, "layouts.html", 422, layouts=[], values=values,
                    picker_problems=problem_lines(error.problems))
    made = await app.desk.renderer.run(cards, app.desk, app.project, content, values["paper"] or None)
    return page(request, "layouts.html", layouts=made, values=values)


async def layout_picture(request):
    """GET /layouts/NAME.png: page 1 of one layout with the chosen content."""
    app = request.app.state
    name = request.path_params["name"]
    try:
        content = read_content(app.project, request.query_params.get("content"))
        if name not in template_names(app.project):
            raise FormError(f"unknown template '{name[:60]}'", field="--template")
    except FormError as error:
        return Response(problem_lines(error.problems)[0], 404, media_type="text/plain; charset=utf-8")
    drawn = await app.desk.renderer.run(picture, app.desk, app.project, name, content,
                                        request.query_params.get("paper") or None)
    if not isinstance(drawn, bytes):
        return Response("\n".join(problem_lines(drawn)), 422, media_type="text/plain; charset=utf-8")
    return Response(drawn, media_type="image/png", headers={"cache-control": "private, max-age=60"})
