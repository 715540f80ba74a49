"""Click's usage errors said as the content errors are: the option, what is wrong, and the fix.

Values read by our own parsers (``options``) arrive here with their words
already; the rest (an unknown option, a missing argument, a number declared
the plain Typer way) are told from the parameter and the text typed, never
in the library's wording.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

from handouts.cli.options import OptionError
from handouts.errors import Problem


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


def typed_command(root, args: list[str], ctx=None) -> str:
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
    command = " ".join(["handouts", typed_command(root, args, getattr(error, "ctx", None))]).strip()
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
