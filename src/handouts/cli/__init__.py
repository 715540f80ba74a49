"""The ``handouts`` command line: options in, one call to the library, a line out.

Each command group is a module of its own in this package; they only parse
options, call the library and print. Heavy libraries are imported inside the
commands, so ``handouts --help`` stays fast.
"""

from __future__ import annotations

import sys

import typer

from handouts.cli.common import app, state

# Importing a command module registers its commands on ``app``.
from handouts.cli import build  # noqa: E402,F401
from handouts.cli import check  # noqa: E402,F401
from handouts.cli import init  # noqa: E402,F401
from handouts.cli import watch  # noqa: E402,F401
from handouts.cli import templates  # noqa: E402,F401
from handouts.cli import batch  # noqa: E402,F401


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:
        typer.secho("interrupted: nothing half-written was left behind", err=True)
        sys.exit(130)
    except Exception as exc:  # a bug: one line, the traceback only when asked for
        if state["debug"]:
            raise
        message = " ".join(str(exc).split())
        typer.secho(f"internal error: {type(exc).__name__}: {message} (run with --debug for the traceback)",
                    err=True, fg=typer.colors.RED)
        sys.exit(1)


__all__ = ["app", "main"]
