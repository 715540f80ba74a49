"""The Typer app, its global options, and the options commands share.

Every command tells what it did through :func:`report` (and :func:`detail`
for ``--verbose``), so the global ``--quiet``, ``--verbose``, ``--json`` and
``--open`` work the same in each of them without a line of their own.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
import typer.core

from handouts import __version__

#: Click's usage errors (Typer vendors click in newer releases; the base class is found either way).
_USAGE_ERROR = next(kind for kind in typer.BadParameter.__mro__ if kind.__name__ == "ClickException")


class _Commands(typer.core.TyperGroup):
    """Every command's errors end the same way, whatever the command forgot to catch.

    A tool error prints as one line per problem (exit 1); Ctrl-C says that
    nothing half-written was left (exit 130); any other exception is a bug,
    printed as one line naming where it happened (exit 1), never as a
    traceback holding a roster's names, unless ``--debug`` asks for it.
    """

    def invoke(self, ctx):
        from handouts.errors import HandoutError

        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, _USAGE_ERROR):
            raise
        except KeyboardInterrupt:
            typer.secho("interrupted: nothing half-written was left behind", err=True)
            raise typer.Exit(130) from None
        except HandoutError as error:
            raise fail(error) from None
        except Exception as error:  # a bug: say where, not what (its values may hold clients' names)
            raise internal_error(error) from None


app = typer.Typer(
    cls=_Commands,
    name="handouts",
    help="Print-ready PDF handouts for movement studios.",
    add_completion=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

state: dict = {"debug": False, "project": None, "quiet": False, "verbose": False, "json": False, "open": False}


class PaperSize(str, Enum):
    letter = "letter"
    a4 = "a4"


def _completion_project(ctx: typer.Context):
    from handouts.project import Project

    return Project.discover(ctx.find_root().params.get("project"))


def complete_template(ctx: typer.Context, incomplete: str) -> list[str]:
    """Template names for shell completion (the studio's and the built-in ones)."""
    from handouts.errors import HandoutError
    from handouts.templating import template_names

    try:
        return [name for name in template_names(_completion_project(ctx)) if name.startswith(incomplete)]
    except HandoutError:
        return []


def complete_content(ctx: typer.Context, incomplete: str) -> list[str]:
    """Content ids for shell completion (``constructive-rest``, in any language)."""
    from handouts.errors import HandoutError

    try:
        ids = {name.rsplit(".", 1)[0] for name in _completion_project(ctx).content_ids()}
    except HandoutError:
        return []
    return sorted(i for i in ids if i.startswith(incomplete))


ContentArg = Annotated[
    Optional[str],
    typer.Argument(help="A content id (constructive-rest) or a path to a content YAML file.", show_default=False,
                   autocompletion=complete_content),
]
TemplateOpt = Annotated[
    Optional[str],
    typer.Option("--template", "-t", help="Template name (see `handouts templates`).", autocompletion=complete_template),
]
PaperOpt = Annotated[Optional[PaperSize], typer.Option("--paper", help="Paper size; default from studio.yaml.")]
LangOpt = Annotated[Optional[str], typer.Option("--lang", help="Content language (BCP 47), e.g. en or es.")]
OutOpt = Annotated[Optional[Path], typer.Option("--out", "-o", help="Output folder; default output/.", file_okay=False)]
PracticeLogOpt = Annotated[
    Optional[bool],
    typer.Option("--practice-log/--no-practice-log",
                 help="Add a page to log a week of practice; default from studio.yaml.", show_default=False),
]
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
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only warnings and errors.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Also print what was used and how long it took.")] = False,
    json_: Annotated[bool, typer.Option("--json", help="Print what was made as JSON on stdout, for scripts.")] = False,
    open_: Annotated[bool, typer.Option("--open", help="Open the PDF that was made.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show Python tracebacks for errors.")] = False,
) -> None:
    """Print-ready PDF handouts for movement studios."""
    if quiet and verbose:
        raise typer.BadParameter("use one of --quiet and --verbose", param_hint="'--quiet' / '--verbose'")
    state.update(debug=debug, project=project, quiet=quiet, verbose=verbose, json=json_, open=open_)


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


def internal_error(error: Exception) -> typer.Exit:
    """A bug as one line: its kind and the line of ours it came from (re-raised with --debug)."""
    if state["debug"]:
        raise error
    where = "?"
    tb = error.__traceback__
    while tb is not None:
        file = Path(tb.tb_frame.f_code.co_filename)
        if "handouts" in file.parts:
            where = f"{file.name}:{tb.tb_lineno}"
        tb = tb.tb_next
    typer.secho(f"internal error: {type(error).__name__} in {where}; this is a bug, please report it "
                "(run with --debug for the traceback)", err=True, fg=typer.colors.RED)
    return typer.Exit(1)


def warn(problems: Iterable) -> None:
    """Print each problem as ``warning: file:line:col: field: message (hint: ...)`` on stderr."""
    for problem in problems:
        typer.secho(f"warning: {problem}", err=True, fg=typer.colors.YELLOW)


def detail(text: str) -> None:
    """A line for ``--verbose`` only (on stderr, so stdout stays the paths)."""
    if state["verbose"]:
        typer.echo(text, err=True)


def problem_record(problem) -> dict:
    """A problem as plain JSON fields."""
    fields = ("severity", "file", "line", "column", "field", "message", "hint")
    return {name: (str(value) if isinstance(value, Path) else value)
            for name in fields if (value := getattr(problem, name, None)) is not None}


def report(command: str, outputs: list[dict], *, warnings: Iterable = (), lines: list[str] | None = None,
           open_path: Path | None = None, **fields) -> None:
    """Tell what a command made: its warnings, then its ``lines`` (default: each output's path).

    ``outputs`` are dicts with at least a ``path``. ``--json`` prints one JSON
    object instead of the lines, ``--quiet`` prints nothing but the warnings,
    and ``--open`` opens ``open_path``.
    """
    warnings = list(warnings)
    warn(warnings)
    if state["json"]:
        record = {"command": command, "outputs": outputs, "warnings": [problem_record(w) for w in warnings], **fields}
        typer.echo(json.dumps(record, ensure_ascii=False, default=str))
    elif not state["quiet"]:
        for line in lines if lines is not None else [str(output["path"]) for output in outputs]:
            typer.echo(line)
    if state["open"] and open_path is not None and typer.launch(str(open_path)) != 0:
        typer.secho(f"warning: could not open {open_path}", err=True, fg=typer.colors.YELLOW)


def report_errors(command: str, problems: Iterable, *, prefix: str = "") -> None:
    """Errors that do not end the command (a watch goes on): a line each; a JSON record with --json."""
    problems = list(problems)
    for problem in problems:
        typer.secho(f"{prefix}error: {problem}", err=True, fg=typer.colors.RED)
    if state["json"]:
        record = {"command": command, "outputs": [], "errors": [problem_record(p) for p in problems]}
        typer.echo(json.dumps(record, ensure_ascii=False, default=str))
