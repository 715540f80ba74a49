"""``handouts check``: lint content for schema, reading level, balance, sources and safety."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Optional

import typer

from handouts.cli.common import app, current_project, emit, record, say, state
from handouts.cli.options import StrictOpt, complete_content, parse_name


class Format(str, Enum):
    text = "text"
    json = "json"


@app.command()
def check(
    content: Annotated[
        Optional[list[str]],
        typer.Argument(help="Content ids (every language), <id>.<lang>, or paths; default: all content.",
                       show_default=False, autocompletion=complete_content, metavar="[CONTENT]..."),
    ] = None,
    template: Annotated[
        Optional[list[str]],
        typer.Option("--template", "-t", parser=parse_name, metavar="NAME",
                     help="Lay the content out in this template only (may be given again); default: every template.",
                     show_default=False),
    ] = None,
    format: Annotated[Format, typer.Option("--format", case_sensitive=False,
                                           help="text for people, json for scripts (as --json).")] = Format.text,
    strict: StrictOpt = False,
) -> None:
    """Check content: schema, reading level, the debate's balance, sources, safety, disclaimer, alt text,
    and whether every layout (or --template) can hold it.

    Prints one line per problem (error or warning, file:line:col, field,
    message, hint) and exits 1 on an error, or on a warning with --strict.
    Here a block harder to read than studio.yaml allows is an error (a
    build only warns).
    """
    from handouts.content.check import check_project

    report = check_project(current_project(), content or None, template or None)
    failed = report.failed(strict)
    if format is Format.json or state["json"]:
        warnings = [p for p in report.problems if p.severity == "warning"]
        errors = [p for p in report.problems if p.severity != "warning"]
        data = record("check", warnings=warnings, errors=errors, ok=not failed,
                      details={"checked": [str(file) for file in report.files], "strict": strict})
        emit(data)
    else:
        for problem in report.problems:
            say(f"{problem.severity}: {problem}", err=False)
        if not state["quiet"]:
            say(_summary(report))
    if failed:
        raise typer.Exit(1)


def _summary(report) -> str:
    errors = sum(p.severity == "error" for p in report.problems)
    warnings = len(report.problems) - errors
    files = f"{len(report.files)} file{'s' if len(report.files) != 1 else ''}"
    if not report.problems:
        return f"ok: {files} checked, no problems"
    return f"{files} checked: {errors} error{'s' if errors != 1 else ''}, {warnings} warning{'s' if warnings != 1 else ''}"
