"""``handouts build``: one handout."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from handouts.cli.common import (
    ContentArg, DateOpt, LangOpt, OutOpt, PaperOpt, TemplateOpt, app, current_project, fail,
)


@app.command()
def build(
    content: ContentArg = None,
    template: TemplateOpt = None,
    paper: PaperOpt = None,
    lang: LangOpt = None,
    client: Annotated[Optional[str], typer.Option("--client", help="Client name printed in the personal box.")] = None,
    note: Annotated[Optional[str], typer.Option("--note", help="A short note from the teacher.")] = None,
    date: DateOpt = None,
    out: OutOpt = None,
) -> None:
    """Build one handout (default: the built-in Constructive Rest) and print its path."""
    from handouts.build import DEFAULT_CONTENT, build_handout
    from handouts.errors import HandoutError

    try:
        built = build_handout(
            content or DEFAULT_CONTENT,
            template=template,
            paper=paper.value if paper else None,
            lang=lang,
            client=client,
            note=note,
            date=date.date() if date else None,
            out_dir=out,
            project=current_project(),
        )
    except HandoutError as error:
        raise fail(error) from None
    typer.echo(str(built.path))
