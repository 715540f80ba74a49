"""``handouts build``: one handout."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from handouts.cli.common import app, current_project, detail, note, report
from handouts.cli.options import (
    ContentArg,
    DateOpt,
    LangOpt,
    OutFileOpt,
    PaperOpt,
    PracticeLogOpt,
    StrictOpt,
    TemplateOpt,
)


@app.command()
def build(
    content: ContentArg = None,
    template: TemplateOpt = None,
    paper: PaperOpt = None,
    lang: LangOpt = None,
    client: Annotated[Optional[str], typer.Option("--client", help="Client name printed in the personal box.",
                                                  metavar="NAME")] = None,
    note_: Annotated[Optional[str], typer.Option("--note", help="A short note from the teacher.",
                                                 metavar="TEXT")] = None,
    class_name: Annotated[Optional[str], typer.Option(
        "--class-name", help="The class, printed in the personal box, e.g. 'Tuesday 6 pm Mat'.", metavar="TEXT")] = None,
    date: DateOpt = None,
    practice_log: PracticeLogOpt = None,
    out: OutFileOpt = None,
    keep_rml: Annotated[
        bool, typer.Option("--keep-rml", help="Also write the rendered RML beside the PDF (kept when the build fails).")
    ] = False,
    strict: StrictOpt = False,
) -> None:
    """Build one handout (default: the built-in Constructive Rest) and print its path.

    Its content is checked first, as `handouts check` does: an error stops the
    build; a warning (a block harder to read than reading_grade_max or
    reading_ease_min in studio.yaml allows, a pale colour) is printed and the
    build goes on, unless --strict.
    """
    from handouts.build import DEFAULT_CONTENT, build_handout

    to_file = out is not None and out.suffix.lower() == ".pdf"
    built = build_handout(
        content or DEFAULT_CONTENT, template=template, paper=paper, lang=lang, client=client, note=note_,
        class_name=class_name,
        date=date, out_dir=None if to_file else out, out_file=out if to_file else None,
        project=current_project(), practice_log=practice_log, keep_rml=keep_rml, strict=strict,
    )
    detail(f"{built.pages} page{'s' if built.pages != 1 else ''}, {built.path.stat().st_size // 1024} KiB")
    outputs = [{"path": built.path, "kind": "pdf", "pages": built.pages}]
    outputs += [{"path": built.rml, "kind": "rml"}] if built.rml else []
    report("build", outputs, warnings=built.warnings, open_path=built.path, details={"printing": built.printing})
    if built.printing:
        note(built.printing)
