"""``handouts templates`` and ``handouts preview``: pick a layout by eye.

``templates`` lists the layouts (the studio's and the built-in ones),
``templates show NAME`` tells what one is and writes a thumbnail of its first
page, and ``preview`` writes a picture of every page of a handout.
"""

from __future__ import annotations

from typing import Annotated

import typer

from handouts.cli.common import app, command_name, current_project, report, state
from handouts.cli.group import Group
from handouts.cli.options import (
    ContentArg,
    LangOpt,
    OptionError,
    OutOpt,
    PaperOpt,
    TemplateOpt,
    complete_template,
    parse_name,
)
from handouts.terminal import shown

templates_app = typer.Typer(cls=Group, help="List the layouts, show one with a thumbnail of its first page, "
                            "or see them all side by side (--gallery).", invoke_without_command=True)
app.add_typer(templates_app, name="templates")

THUMBNAIL_SCALE = 0.6
#: Columns the description keeps in `handouts templates` before a long title is cut.
DESCRIPTION_ROOM = 18


def _pages(info) -> str:
    if info.fixed_pages:
        return f"{info.fixed_pages} page{'s' if info.fixed_pages != 1 else ''}"
    if info.max_pages:
        return f"1-{info.max_pages} pages"
    return "1+ pages"


def _record(template, project) -> dict:
    from handouts.project import is_inside

    info = template.info
    return {
        "name": template.name, "title": info.title, "description": info.description, "papers": info.papers,
        "orientation": info.orientation, "pages": _pages(info), "personal_box": info.personal_box is not None,
        "folder": str(template.folder), "studio": not is_inside(template.folder, project.bundled),
    }


@templates_app.callback()
def templates(
    ctx: typer.Context,
    gallery: Annotated[bool, typer.Option(
        "--gallery", help="Write one PNG with page 1 of every layout side by side, labelled.")] = False,
    out: OutOpt = None,
) -> None:
    """List every template (one line each), or with --gallery picture them all side by side."""
    if ctx.invoked_subcommand is not None:
        if gallery or out:
            raise OptionError(f"--gallery and --out go without '{ctx.invoked_subcommand}'",
                              "`handouts templates --gallery --out DIR`, or `handouts templates show NAME --out DIR`")
        return
    if gallery:
        _gallery(out)
    elif out:
        raise OptionError("--out is where --gallery writes its picture", "add --gallery, or leave --out out")
    else:
        list_templates()


def _gallery(out) -> None:
    from handouts.layout.gallery import write_gallery

    project = current_project()
    path, names = write_gallery(project, out or project.default_out_dir())
    report("templates", [{"path": path, "kind": "png"}], open_path=path, details={"templates": names})


@templates_app.command("list")
def list_templates() -> None:
    """List every template, one line each: name, title, pages, papers and what it is for."""
    from handouts.layout.templating import find_template, template_names

    project = current_project()
    records = [_record(find_template(project, name), project) for name in template_names(project)]
    lines = None if state["json"] else _one_line_each(records)
    report(command_name(), [], lines=lines, details={"templates": records})


def _one_line_each(records: list[dict]) -> list[str]:
    """A header and a line per template, as wide as the terminal: long titles and descriptions are cut."""
    import shutil

    rows = [("name", "title", "pages", "papers", "description")]
    rows += [(r["name"] + (" (studio)" if r["studio"] else ""), r["title"], r["pages"], ", ".join(r["papers"]),
              r["description"]) for r in records]
    rows = [tuple(shown(value) for value in row) for row in rows]
    widths = [max(len(row[column]) for row in rows) for column in range(5)]
    room = shutil.get_terminal_size((80, 24)).columns - 2 * 4 - widths[0] - widths[2] - widths[3]
    widths[1] = min(widths[1], max(len("title"), room - DESCRIPTION_ROOM))  # the description keeps some room
    widths[4] = max(room - widths[1], len("description"))
    return ["  ".join(_cut(value, width).ljust(width) for value, width in zip(row, widths)).rstrip() for row in rows]


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[:max(width - 1, 0)].rstrip() + "…"


@templates_app.command("show")
def show(
    name: Annotated[str, typer.Argument(help="Template name, in any case.", metavar="NAME", parser=parse_name,
                                        autocompletion=complete_template, show_default=False)],
    out: OutOpt = None,
) -> None:
    """Print what a template is and write a thumbnail of its first page (the built-in content)."""
    from handouts.build import prepare, render_pdf
    from handouts.content.load import load_studio
    from handouts.layout.preview import page_pngs
    from handouts.layout.templating import find_template, template_blocks
    from handouts.output import write_atomic

    project = current_project()
    papers = find_template(project, name).info.papers
    paper = None if load_studio(project.studio_file()).paper in papers else papers[0]
    job = prepare(project, template=name, paper=paper)
    record = _record(job.template, project) | {"blocks": template_blocks(project, job.template)}
    png = page_pngs(render_pdf(job).pdf, scale=THUMBNAIL_SCALE, pages=1)[0]
    path = write_atomic(out or project.default_out_dir(), f"{name}-thumbnail.png", png)
    info = job.template.info
    box = info.personal_box
    lines = [
        f"{name}: {info.title}", f"  {info.description}",
        f"  papers: {', '.join(info.papers)} ({info.orientation}); pages: {record['pages']}",
        f"  personal box: {'yes, ' + format(box.height, 'g') + ' pt tall on page 1' if box else 'no'}",
        f"  blocks a studio override can change: {', '.join(record['blocks'])}",
        f"  folder: {job.template.folder}", f"thumbnail: {path}",
    ]
    if info.printing:
        lines.insert(4, f"  printing: {job.labels.get(info.printing, info.printing)}")
    report("templates show", [{"path": path, "kind": "png"}], lines=lines, open_path=path,
           details={"template": record})


@app.command()
def preview(
    content: ContentArg = None,
    template: TemplateOpt = None,
    paper: PaperOpt = None,
    lang: LangOpt = None,
    out: OutOpt = None,
) -> None:
    """Write a PNG picture of every page of a handout and print their paths."""
    from handouts.build import DEFAULT_CONTENT, prepare
    from handouts.layout.preview import preview_handout

    project = current_project()
    job = prepare(project, content or DEFAULT_CONTENT, template=template, paper=paper, lang=lang)
    paths = preview_handout(job, out or project.default_out_dir())
    report("preview", [{"path": p, "kind": "png", "page": n} for n, p in enumerate(paths, 1)],
           warnings=job.warnings, open_path=paths[0] if paths else None)
