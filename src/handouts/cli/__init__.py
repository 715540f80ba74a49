"""The ``handouts`` command line: options in, one call to the library, a line out.

Each command group is a module of its own in this package; they only parse
options, call the library and print. Heavy libraries are imported inside the
commands, so ``handouts --help`` stays fast.
"""

from __future__ import annotations

# Importing a command module registers its commands on ``app``.
from handouts.cli import (
    batch,  # noqa: E402,F401
    build,  # noqa: E402,F401
    check,  # noqa: E402,F401
    init,  # noqa: E402,F401
    roster,  # noqa: E402,F401
    serve,  # noqa: E402,F401
    templates,  # noqa: E402,F401
    watch,  # noqa: E402,F401
)
from handouts.cli.common import app


def main() -> None:
    """Console-script entry point; errors, bugs and Ctrl-C end as one line (see ``group.Commands``)."""
    try:
        app()
    except KeyboardInterrupt:  # before a command runs (Commands handles it once one does)
        import sys

        from handouts.cli.group import interrupted

        interrupted()
        sys.exit(130)


__all__ = ["app", "main"]
