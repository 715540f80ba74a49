"""How every command starts and ends, whatever the command module declares.

The global options (``--quiet``, ``--verbose``, ``--json``, ``--open``,
``--project``, ``--debug``) are declared once, here, and given to the root
and to every command and subcommand, so ``handouts batch r.csv --json`` and
``handouts --json batch r.csv`` are the same and a new command module gets
them without a line of its own. Their values go to ``state`` as they are read.

Every ending is one line: a usage error (exit 2) in the words of the content
errors, a tool error (exit 1), a bug (exit 1, no traceback unless
``--debug``), Ctrl-C anywhere, prompts included (exit 130).
"""

from __future__ import annotations

import difflib
import sys
import time
from pathlib import Path
from typing import Annotated, Optional

import typer
import typer.core

from handouts.cli.options import OptionError
from handouts.cli.state import DEFAULTS, state
from handouts.cli.usage import command_name, typed_command, usage_problem
from handouts.terminal import shown

#: Click's exception classes (Typer vendors click in newer releases; found through typer's own class either way).
_BASES = {kind.__name__: kind for kind in typer.BadParameter.__mro__}
USAGE_ERROR, CLICK_ERROR = _BASES["UsageError"], _BASES["ClickException"]
INTERRUPTED = "interrupted: nothing half-written was left behind"
PANEL = "Global options (before or after the command)"


def _remember(ctx: typer.Context, param: typer.CallbackParam, value):
    """Keep a global option's value wherever it was given; one left out changes nothing.

    Every command's context passes here, the innermost last: it names the running command.
    """
    state["command"] = command_name(ctx)
    if value in (None, False) or ctx.resilient_parsing:
        return value
    state[param.name] = value
    if state["quiet"] and state["verbose"]:
        raise OptionError("asks for more lines, and --quiet for fewer", "use one of -q/--quiet and -v/--verbose")
    return value


def _global_options(
    project: Annotated[Optional[Path], typer.Option(
        "--project", "-p", help="Studio folder (default: the nearest folder with a studio.yaml).", metavar="DIR",
        callback=_remember, expose_value=False, rich_help_panel=PANEL)] = None,
    quiet: Annotated[bool, typer.Option(
        "--quiet", "-q", help="Print only warnings and errors.",
        callback=_remember, expose_value=False, rich_help_panel=PANEL)] = False,
    verbose: Annotated[bool, typer.Option(
        "--verbose", "-v", help="Also print what was used (the studio folder; a PDF's pages and size) and how "
        "long it took.", callback=_remember, expose_value=False, rich_help_panel=PANEL)] = False,
    json: Annotated[bool, typer.Option(
        "--json", help="Print one JSON record of what was made, warnings and errors (see README).",
        callback=_remember, expose_value=False, rich_help_panel=PANEL)] = False,
    open: Annotated[bool, typer.Option(
        "--open", help="Open what was made (the PDF, the picture) in this computer's viewer.",
        callback=_remember, expose_value=False, rich_help_panel=PANEL)] = False,
    debug: Annotated[bool, typer.Option(
        "--debug", help="Show the Python traceback of an error.",
        callback=_remember, expose_value=False, rich_help_panel=PANEL)] = False,
) -> None:
    """Declares the global options; never called (see ``global_params``)."""


def global_params() -> list:
    """The global options as parameter objects, built by Typer from ``_global_options``."""
    declared = typer.Typer(add_completion=False)
    declared.command()(_global_options)
    return list(typer.main.get_command(declared).params)


def _share(command, params: list) -> None:
    """Give ``params`` to ``command`` and every command below it."""
    own = {opt for param in command.params for opt in getattr(param, "opts", [])}
    command.params.extend(param for param in params if not own & set(param.opts))
    for sub in getattr(command, "commands", {}).values():
        _share(sub, params)


class Group(typer.core.TyperGroup):
    """A command group whose unknown command is told in plain words."""

    def resolve_command(self, ctx, args):
        if args and self.get_command(ctx, args[0]) is None and not args[0].startswith("-"):
            close = difflib.get_close_matches(args[0], list(self.commands), n=1)
            where = ctx.command_path
            raise OptionError(f"{where}: there is no command '{args[0]}'",
                              f"did you mean '{close[0]}'?" if close else f"`{where} -h` lists the commands")
        return super().resolve_command(ctx, args)


class Commands(Group):
    """The root group: global options on every command; every error, bug and Ctrl-C ends as one line."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _share(self, global_params())

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        args = list(sys.argv[1:] if args is None else args)
        state.update(DEFAULTS)
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except USAGE_ERROR as error:
            code = usage_error(error, args, self)
        except CLICK_ERROR as error:
            typer.secho(f"error: {shown(error.format_message(), 1000)}", err=True, fg=typer.colors.RED)
            code = 1
        except (typer.Abort, KeyboardInterrupt):
            interrupted()
            code = 130
        code = code if isinstance(code, int) else 0
        if standalone_mode:
            sys.exit(code)
        return code

    def invoke(self, ctx):
        from handouts.cli.common import fail, internal_error
        from handouts.errors import HandoutError

        start = time.perf_counter()
        try:
            result = super().invoke(ctx)
            if state["verbose"]:
                typer.echo(f"took {time.perf_counter() - start:.2f} s", err=True)
            return result
        except (typer.Exit, USAGE_ERROR):
            raise
        except (typer.Abort, KeyboardInterrupt):  # Ctrl-C, also at a prompt (which turns it into Abort)
            interrupted()
            raise typer.Exit(130) from None
        except HandoutError as error:
            raise fail(error) from None
        except Exception as error:  # a bug: say where, not what (its values may hold clients' names)
            raise internal_error(error) from None


def interrupted() -> None:
    """Ctrl-C's line; at a terminal on a line of its own (the cursor stands after the ^C it echoed)."""
    typer.echo(("\n" if sys.stderr.isatty() else "") + INTERRUPTED, err=True)


def usage_error(error, args: list[str], root) -> int:
    """Print a usage error as one line (and a JSON record with --json); exit code 2."""
    if type(error).__name__ == "NoArgsIsHelpError":
        typer.echo(error.ctx.get_help())
        return 0
    problem = usage_problem(error, args, root)
    typer.secho(f"error: {shown(problem, 1000)}", err=True, fg=typer.colors.RED)
    if state["json"] or "--json" in args:
        from handouts.cli.common import emit, record

        emit(record(typed_command(root, args, error.ctx), errors=[problem]))
    return 2
