"""The Typer app, and how every command tells what it did.

Commands tell what they made through :func:`report` (and :func:`detail` for
``--verbose``), so ``--quiet``, ``--verbose``, ``--json`` and ``--open`` work
the same in each of them without a line of their own. Everything printed
that came from an input (a name, a path, a sentence) goes through
``terminal.shown`` first, so its escape sequences are shown, not obeyed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated

import typer

from handouts import __version__
from handouts.cli.group import Commands
from handouts.cli.state import state
from handouts.terminal import json_line, shown

#: Longest line shown whole: a problem's message and hint, with the input it quotes.
LINE_LIMIT = 1000
#: Seconds to wait for the viewer's launcher to say it found no program; a launcher still running has one.
OPEN_WAIT = 3.0

app = typer.Typer(
    cls=Commands,
    name="handouts",
    help="Print-ready PDF handouts for movement studios.",
    add_completion=True,
    invoke_without_command=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"handouts {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")] = False,
) -> None:
    """Print-ready PDF handouts for movement studios."""
    if ctx.invoked_subcommand is None:  # `handouts` alone: the help, not an error
        typer.echo(ctx.get_help())
        raise typer.Exit()


def current_project():
    """The studio folder for this run (``--project``, or found from the current folder)."""
    from handouts.project import Project

    project = Project.discover(state["project"])
    detail(f"studio folder: {project.root or 'none (the bundled defaults)'}")
    return project


def say(line: str, *, err: bool = True, color: str | None = None) -> None:
    """Print one line, its input text made safe for the terminal."""
    typer.secho(shown(line, LINE_LIMIT), err=err, fg=color)


def fail(error: Exception) -> typer.Exit:
    """Print a tool error as one line per problem (and a JSON record with --json); re-raised with --debug."""
    if state["debug"]:
        raise error
    problems = list(getattr(error, "problems", [error]))
    for problem in problems:
        severity = getattr(problem, "severity", "error")
        say(f"{severity}: {problem}", color=typer.colors.RED if severity == "error" else typer.colors.YELLOW)
    if state["json"]:
        warnings = [p for p in problems if getattr(p, "severity", "error") == "warning"]
        emit(record(command_name(), warnings=warnings, errors=[p for p in problems if p not in warnings]))
    return typer.Exit(1)


def internal_error(error: Exception) -> typer.Exit:
    """A bug as one line: its kind and the line of ours it came from (re-raised with --debug)."""
    if state["debug"]:
        raise error
    from handouts.errors import bug_line

    say(f"{bug_line(error)} (run with --debug for the traceback)", color=typer.colors.RED)
    return typer.Exit(1)


def warn(problems: Iterable) -> None:
    """Print each problem as ``warning: file:line:col: field: message (hint: ...)`` on stderr."""
    for problem in problems:
        say(f"warning: {problem}", color=typer.colors.YELLOW)


def detail(text: str) -> None:
    """A line for ``--verbose`` only (on stderr, so stdout stays the paths)."""
    if state["verbose"]:
        say(text)


def note(text: str) -> None:
    """A line for people (on stderr, so stdout stays the paths); none with --quiet or --json."""
    if not (state["quiet"] or state["json"]):
        say(text)


def command_name() -> str:
    """The running command as typed after ``handouts`` (``build``, ``templates show``)."""
    return state["command"]


PROBLEM_FIELDS = ("severity", "file", "line", "column", "field", "message", "hint")


def problem_record(problem) -> dict:
    """A problem as JSON: every field of PROBLEM_FIELDS, null where unknown."""
    values = {name: getattr(problem, name, None) for name in PROBLEM_FIELDS}
    if values["message"] is None:
        values["message"] = str(problem)
    return {name: (str(value) if isinstance(value, Path) else value) for name, value in values.items()}


def record(command: str, *, outputs: Iterable[dict] = (), warnings: Iterable = (), errors: Iterable = (),
           ok: bool | None = None, details: dict | None = None) -> dict:
    """The one JSON shape of every command (documented in the README under "Options for every command")."""
    errors = [problem_record(problem) for problem in errors]
    return {
        "command": command,
        "ok": not errors if ok is None else ok,
        "outputs": [{key: (str(value) if isinstance(value, Path) else value) for key, value in output.items()}
                    for output in outputs],
        "warnings": [problem_record(problem) for problem in warnings],
        "errors": errors,
        "details": details or {},
    }


def emit(data: dict) -> None:
    """Print one JSON record (its input text's escape sequences escaped, as JSON allows)."""
    typer.echo(json_line(data))


def report(command: str, outputs: list[dict], *, warnings: Iterable = (), errors: Iterable = (),
           lines: list[str] | None = None, open_path: Path | None = None, ok: bool | None = None,
           details: dict | None = None, **fields) -> None:
    """Tell what a command made: its warnings, then its ``lines`` (default: each output's path).

    ``outputs`` are dicts with at least a ``path``; ``fields`` join
    ``details``. ``--json`` prints one record instead of the lines,
    ``--quiet`` prints nothing but the warnings, ``--open`` opens ``open_path``.
    """
    warnings, errors = list(warnings), list(errors)
    warn(warnings)
    if state["json"]:
        emit(record(command, outputs=outputs, warnings=warnings, errors=errors, ok=ok,
                     details={**(details or {}), **fields}))
    elif not state["quiet"]:
        for line in lines if lines is not None else [str(output["path"]) for output in outputs]:
            say(line, err=False)
    if state["open"] and open_path is not None:
        why = open_file(open_path)
        if why:
            say(f"warning: could not open {open_path}: {why} (hint: open the file yourself)",
                color=typer.colors.YELLOW)


def report_errors(command: str, problems: Iterable, *, prefix: str = "") -> None:
    """Errors that do not end the command (a watch goes on): a line each; a JSON record with --json."""
    problems = list(problems)
    for problem in problems:
        say(f"{prefix}error: {problem}", color=typer.colors.RED)
    if state["json"]:
        emit(record(command, errors=problems))


def open_file(path: Path) -> str | None:
    """Open ``path`` in the desktop's viewer; None when that worked, else why not, in plain words."""
    if sys.platform == "win32":
        try:
            os.startfile(path)  # type: ignore[attr-defined]
        except OSError:
            return "Windows has no program set to open it"
        return None
    launcher = "open" if sys.platform == "darwin" else "xdg-open"
    found = shutil.which(launcher)
    if not found:
        return f"this computer has no '{launcher}' to find a viewer with"
    process = subprocess.Popen([found, str(path)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        code = process.wait(timeout=OPEN_WAIT)
    except subprocess.TimeoutExpired:
        return None  # the launcher is still showing the file: a viewer was found
    return None if code == 0 else f"'{launcher}' found no program for {path.suffix or 'it'} files"


def cell(text: object):
    """A table cell from an input: escapes shown, and no Rich markup read into it."""
    from rich.text import Text

    return Text(shown(text))
