"""``handouts check``: lint content for schema, reading grade, balance, sources and safety."""

from __future__ import annotations

import json
from enum import Enum
from typing import Annotated, Optional

import typer

from handouts.cli.common import app, complete_content, current_project, fail, state


class Format(str, Enum):
    text = "text"
    json = "json"


@app.command()
def check(
    content: Annotated[
        Optional[list[str]],
        typer.Argument(help="Content ids (every language), <id>.<lang>, or paths; default: all content.",
                       show_default=False, autocompletion=complete_content),
    ] = None,
    template: Annotated[
        Optional[list[str]],
        typer.Option("--template", "-t", help="Lay the content out in this template only (may be given again); "
                                              "default: every template.", show_default=False),
    ] = None,
    format: Annotated[Format, typer.Option("--format", help="text for people, json for scripts.")] = Format.text,
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
) -> None:
    """Check content: schema, reading grade, the debate's balance, sources, safety, disclaimer, alt text,
    and whether every layout (or --template) can hold it.

    Prints one line per problem (error or warning, file:line:col, field,
    message, hint) and exits 1 on an error, or on a warning with --strict.
    """
    from handouts.check import check_project
    from handouts.errors import HandoutError

    try:
        report = check_project(current_project(), content or None, template or None)
    except HandoutError as error:
        raise fail(error) from None
    if format is Format.json or state["json"]:
        typer.echo(json.dumps([_row(p) for p in report.problems], ensure_ascii=False, indent=2))
    else:
        for problem in report.problems:
            typer.echo(f"{problem.severity}: {problem}")
        if not state["quiet"]:
            typer.echo(_summary(report), err=True)
    if report.failed(strict):
        raise typer.Exit(1)


def _row(problem) -> dict:
    """One problem for scripts: where, what, how bad, how to fix."""
    return {
        "file": str(problem.file) if problem.file else None, "line": problem.line, "column": problem.column,
        "field": problem.field, "severity": problem.severity, "message": problem.message, "hint": problem.hint,
    }


def _summary(report) -> str:
    errors = sum(p.severity == "error" for p in report.problems)
    warnings = len(report.problems) - errors
    files = f"{len(report.files)} file{'s' if len(report.files) != 1 else ''}"
    if not report.problems:
        return f"ok: {files} checked, no problems"
    return f"{files} checked: {errors} error{'s' if errors != 1 else ''}, {warnings} warning{'s' if warnings != 1 else ''}"
