"""``handouts build``: one handout."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from handouts.cli.common import (
    ContentArg, DateOpt, LangOpt, OutOpt, PaperOpt, PracticeLogOpt, TemplateOpt, app, current_project, detail, fail,
    report,
)


@app.command()
def build(
    content: ContentArg = None,
    template: TemplateOpt = None,
    paper: PaperOpt = None,
    lang: LangOpt = None,
    client: Annotated[Optional[str], typer.Option("--client", help="Client name printed in the personal box.")] = None,
    note: Annotated[Optional[str], typer.Option("--note", help="A short note from the teacher.")] = None,
    class_name: Annotated[Optional[str], typer.Option(
        "--class-name", help="The class, printed in the personal box, e.g. 'Tuesday 6 pm Mat'.")] = None,
    date: DateOpt = None,
    practice_log: PracticeLogOpt = None,
    out: OutOpt = None,
    keep_rml: Annotated[
        bool, typer.Option("--keep-rml", help="Also write the rendered RML beside the PDF (kept when the build fails).")
    ] = False,
) -> None:
    """Build one handout (default: the built-in Constructive Rest) and print its path."""
    import time

    from handouts.build import DEFAULT_CONTENT, build_handout
    from handouts.errors import HandoutError

    start = time.perf_counter()
    try:
        project = current_project()
        detail(f"studio folder: {project.root or 'none (bundled defaults)'}")
        built = build_handout(
            content or DEFAULT_CONTENT,
            template=template,
            paper=paper.value if paper else None,
            lang=lang,
            client=client,
            note=note,
            class_name=class_name,
            date=date.date() if date else None,
            out_dir=out,
            project=project,
            practice_log=practice_log,
            keep_rml=keep_rml,
        )
    except HandoutError as error:
        raise fail(error) from None
    detail(f"{built.pages} page(s) in {time.perf_counter() - start:.2f} s")
    outputs = [{"path": built.path, "pages": built.pages}] + ([{"path": built.rml}] if built.rml else [])
    report("build", outputs, warnings=built.warnings, open_path=built.path)
