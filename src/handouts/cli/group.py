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
import json
import re
import sys
import time
from pathlib import Path
from typing import Annotated, Optional

import typer
import typer.core

from handouts.cli.options import OptionError
from handouts.cli.state import DEFAULTS, state
from handouts.errors import Problem
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
        "--verbose", "-v", help="Also print what was used (studio folder, content file, template, paper, "
        "language) and how long it took.", callback=_remember, expose_value=False, rich_help_panel=PANEL)] = False,
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
        from handouts.cli.common import record

        typer.echo(json.dumps(record(_typed(root, args, error.ctx), errors=[problem]), ensure_ascii=False))
    return 2


def command_name(ctx) -> str:
    """A command as typed after ``handouts`` (``build``, ``templates show``), from its context."""
    names = []
    while ctx is not None and ctx.parent is not None:
        names.append(ctx.info_name)
        ctx = ctx.parent
    return " ".join(reversed(names))


def _option_name(param) -> str:
    opts = getattr(param, "opts", None) or []
    if getattr(param, "param_type_name", "") == "argument":
        return (param.metavar or str(param.name)).upper()
    return max(opts, key=len) if opts else str(param.name)


def _typed(root, args: list[str], ctx=None) -> str:
    """The command a usage error belongs to: its context's, else the command words in ``args``."""
    if ctx is not None:
        return command_name(ctx)
    names, group = [], root
    for arg in args:
        sub = getattr(group, "commands", {}).get(arg)
        if sub is not None:
            names.append(arg)
            group = sub
    return " ".join(names)


def usage_problem(error, args: list[str], root) -> Problem:
    """What a click usage error means, said as a content error is: the option, what is wrong, the fix."""
    command = " ".join(["handouts", _typed(root, args, getattr(error, "ctx", None))]).strip()
    help_hint = f"`{command} -h` lists what it takes"
    kind = type(error).__name__
    param = getattr(error, "param", None)
    if isinstance(error, OptionError):
        field = _option_name(param) if param is not None else None
        return Problem(error.message, field=field, hint=error.hint or help_hint)
    if kind == "NoSuchOption":
        close = difflib.get_close_matches(error.option_name, sorted(error.possibilities or ()), n=1)
        hint = f"did you mean {close[0]}?" if close else help_hint
        return Problem(f"{command} has no option {error.option_name}", hint=hint)
    if kind == "MissingParameter" and param is not None:
        name = _option_name(param)
        what = "is missing" if name.isupper() else "needs a value"
        return Problem(f"{command}: {name} {what}", hint=help_hint)
    if kind == "BadOptionUsage" and getattr(error, "option_name", None):
        return Problem(f"{error.option_name} needs a value", field=None, hint=help_hint)
    if param is not None:
        value = _given(param, args, error.message or "")
        return Problem(_plain_value_error(param, value), field=_option_name(param),
                       hint=_value_hint(param, help_hint))
    extra = re.match(r"Got unexpected extra argument(?:s|\(s\))? \((.*)\)", error.message or "")
    if extra:
        return Problem(f"{command} does not take '{extra.group(1)}'",
                       hint=f"put text with spaces in quotes; {help_hint}")
    return Problem(f"{command}: {error.message}", hint=help_hint)


def _given(param, args: list[str], message: str) -> str:
    """The text given to an option on the command line (the last one, as click keeps), or to an argument."""
    given = ""
    for index, arg in enumerate(args):
        for opt in getattr(param, "opts", []):
            if arg == opt and index + 1 < len(args):
                given = args[index + 1]
            elif arg.startswith(opt + "=") and opt.startswith("--"):
                given = arg[len(opt) + 1:]
    quoted = re.search(r"'([^']*)'", message)  # an argument's value, as the library quoted it
    return given or (quoted.group(1) if quoted else "")


def _annotation(param):
    return getattr(getattr(param, "type_descriptor", None), "annotation", None)


def _plain_value_error(param, value: str) -> str:
    """A wrong value for an option declared the plain Typer way (a number, a choice, a path): what was wanted."""
    low, high = getattr(param, "min", None), getattr(param, "max", None)
    if _annotation(param) in (int, float) or low is not None or high is not None:
        kind = "a whole number" if _annotation(param) is not float else "a number"
        span = f", {low:g} or more" if low is not None and high is None else (
            f", from {low:g} to {high:g}" if low is not None and high is not None else "")
        return f"'{value}' is not {kind}{span}"
    if _annotation(param) is Path and value:
        path = Path(value)
        return (f"'{value}' is a folder, not a file" if path.is_dir() else
                f"'{value}' is a file, not a folder" if path.is_file() else f"'{value}' does not exist")
    if getattr(_annotation(param), "__members__", None):
        return f"'{value}' is not one of its choices"
    return f"'{value}' is not a value it takes"


def _value_hint(param, default: str) -> str:
    members = getattr(_annotation(param), "__members__", None)
    if members:
        return "use " + " or ".join(str(member.value) for member in members.values())
    low = getattr(param, "min", None)
    if _annotation(param) is int or low is not None:
        return f"e.g. {_option_name(param)} {max(int(low or 0), 2)}"
    return default
