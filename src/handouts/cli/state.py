"""What the global options asked for in this run (reset at the start of every run)."""

from __future__ import annotations

DEFAULTS: dict = {"command": "", "debug": False, "project": None, "quiet": False, "verbose": False, "json": False, "open": False}
state: dict = dict(DEFAULTS)
