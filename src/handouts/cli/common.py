"""The Typer app, its global options, and the options commands share."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from handouts import __version__

app = typer.Typer(
    name="handouts",
    help="Print-ready PDF handouts for movement studios.",
    add_completion=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

state: dict = {"debug": False, "project": None}


class PaperSize(str, Enum):
    letter = "letter"
    a4 = "a4"


ContentArg = Annotated[
    Optional[str],
    typer.Argument(help="A content id (constructive-rest) or a path to a content YAML file.", show_default=False),
]
TemplateOpt = Annotated[Optional[str], typer.Option("--template", "-t", help="Template name (see `handouts templates`).")]
PaperOpt = Annotated[Optional[PaperSize], typer.Option("--paper", help="Paper size; default from studio.yaml.")]
LangOpt = Annotated[Optional[str], typer.Option("--lang", help="Content language (BCP 47), e.g. en or es.")]
OutOpt = Annotated[Optional[Path], typer.Option("--out", "-o", help="Output folder; default output/.", file_okay=False)]
DateOpt = Annotated[
    Optional[dt.datetime],
    typer.Option("--date", formats=["%Y-%m-%d"], help="Date printed on the handout (YYYY-MM-DD); default today."),
]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"handouts {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")] = False,
    project: Annotated[
        Optional[Path],
        typer.Option("--project", "-p", help="Studio folder (default: the nearest folder with a studio.yaml).", file_okay=False),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show Python tracebacks for errors.")] = False,
) -> None:
    """Print-ready PDF handouts for movement studios."""
    state["debug"] = debug
    state["project"] = project


def current_project():
    """The studio folder for this run (``--project``, or found from the current folder)."""
    from handouts.project import Project

    return Project.discover(state["project"])


def fail(error: Exception) -> typer.Exit:
    """Print a tool error as one line per problem (or re-raise it with --debug)."""
    if state["debug"]:
        raise error
    for problem in getattr(error, "problems", [error]):
        typer.secho(f"error: {problem}", err=True, fg=typer.colors.RED)
    return typer.Exit(1)
