"""The ``handouts`` command line: options in, one call to the build API, a line out.

Commands only parse options, call the library and print; every
:class:`~handouts.errors.HandoutError` becomes ``error: file:line:col: ...``
lines and exit code 1 (usage errors exit 2). A traceback appears only with
``--debug``. Heavy libraries are imported inside the commands, so ``--help``
stays fast.
"""

from __future__ import annotations

import datetime as dt
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from handouts import __version__

app = typer.Typer(
    name="handouts",
    help="Print-ready PDF handouts for movement studios.",
    no_args_is_help=False,
    add_completion=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

_state = {"debug": False}


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
    debug: Annotated[bool, typer.Option("--debug", help="Show Python tracebacks for errors.")] = False,
) -> None:
    """Print-ready PDF handouts for movement studios."""
    _state["debug"] = debug


def fail(error: Exception) -> typer.Exit:
    """Print a tool error as one line per problem (or re-raise with --debug)."""
    if _state["debug"]:
        raise error
    for problem in getattr(error, "problems", [error]):
        typer.secho(f"error: {problem}", err=True, fg=typer.colors.RED)
    return typer.Exit(1)


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
    """Build one handout (default: the built-in Constructive Rest)."""
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
        )
    except HandoutError as error:
        raise fail(error) from None
    typer.echo(str(built.path))


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:
        typer.secho("interrupted", err=True)
        sys.exit(130)
