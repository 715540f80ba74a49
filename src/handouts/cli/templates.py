"""``handouts templates`` and ``handouts preview``: pick a layout by eye.

``templates`` lists the layouts (the studio's and the built-in ones),
``templates show NAME`` tells what one is and writes a thumbnail of its first
page, and ``preview`` writes a picture of every page of a handout.
"""

from __future__ import annotations

import json
from typing import Annotated

import typer

from handouts.cli.common import (
    ContentArg, LangOpt, OutOpt, PaperOpt, TemplateOpt, app, complete_template, current_project, fail, report, state,
)

templates_app = typer.Typer(help="List the layouts, or show one with a thumbnail of its first page.",
                            invoke_without_command=True)
app.add_typer(templates_app, name="templates")

THUMBNAIL_SCALE = 0.6


def _pages(info) -> str:
    if info.fixed_pages:
        return f"exactly {info.fixed_pages}"
    if info.max_pages:
        return f"1 to {info.max_pages}"
    return "as many as needed"


def _record(template, project) -> dict:
    from handouts.project import is_inside

    info = template.info
    return {
        "name": template.name, "title": info.title, "description": info.description, "papers": info.papers,
        "orientation": info.orientation, "pages": _pages(info), "personal_box": info.personal_box is not None,
        "folder": str(template.folder), "studio": not is_inside(template.folder, project.bundled),
    }


@templates_app.callback()
def templates(ctx: typer.Context) -> None:
    """List every template: name, title, papers and what it is for."""
    if ctx.invoked_subcommand is None:
        list_templates()


@templates_app.command("list")
def list_templates() -> None:
    """List every template: name, title, papers and what it is for."""
    from rich.console import Console
    from rich.table import Table

    from handouts.errors import HandoutError
    from handouts.templating import find_template, template_names

    try:
        project = current_project()
        records = [_record(find_template(project, name), project) for name in template_names(project)]
    except HandoutError as error:
        raise fail(error) from None
    if state["json"]:
        typer.echo(json.dumps(records, ensure_ascii=False))
        return
    table = Table("name", "title", "papers", "pages", "description", box=None, pad_edge=False)
    for r in records:
        table.add_row(r["name"] + (" (studio)" if r["studio"] else ""), r["title"], ", ".join(r["papers"]),
                      r["pages"], r["description"])
    Console(soft_wrap=False).print(table)


@templates_app.command("show")
def show(
    name: Annotated[str, typer.Argument(help="Template name.", metavar="NAME", autocompletion=complete_template,
                                        show_default=False)],
    out: OutOpt = None,
) -> None:
    """Print what a template is and write a thumbnail of its first page (the built-in content)."""
    from handouts.build import prepare, render_pdf
    from handouts.content import load_studio
    from handouts.errors import HandoutError
    from handouts.output import write_atomic
    from handouts.preview import page_pngs
    from handouts.templating import find_template, template_blocks

    try:
        project = current_project()
        papers = find_template(project, name).info.papers
        paper = None if load_studio(project.studio_file()).paper in papers else papers[0]
        job = prepare(project, template=name, paper=paper)
        record = _record(job.template, project) | {"blocks": template_blocks(project, job.template)}
        png = page_pngs(render_pdf(job).pdf, scale=THUMBNAIL_SCALE, pages=1)[0]
        path = write_atomic(out or project.default_out_dir(), f"{name}-thumbnail.png", png)
    except HandoutError as error:
        raise fail(error) from None
    info = job.template.info
    box = info.personal_box
    lines = [
        f"{name}: {info.title}", f"  {info.description}",
        f"  papers: {', '.join(info.papers)} ({info.orientation}); pages: {record['pages']}",
        f"  personal box: {'yes, ' + format(box.height, 'g') + ' pt tall on page 1' if box else 'no'}",
        f"  blocks a studio override can change: {', '.join(record['blocks'])}",
        f"  folder: {job.template.folder}", f"thumbnail: {path}",
    ]
    report("templates show", [{"path": path}], lines=lines, open_path=path, template=record)


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
    from handouts.errors import HandoutError
    from handouts.preview import preview_handout

    try:
        project = current_project()
        job = prepare(project, content or DEFAULT_CONTENT, template=template,
                      paper=paper.value if paper else None, lang=lang)
        paths = preview_handout(job, out or project.default_out_dir())
    except HandoutError as error:
        raise fail(error) from None
    report("preview", [{"path": p, "page": n} for n, p in enumerate(paths, 1)], warnings=job.warnings,
           open_path=paths[0] if paths else None)
