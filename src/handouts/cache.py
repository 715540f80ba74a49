"""A small on-disk cache of derived facts, shared by every run on this machine.

Some results are slow to compute and never change for the same input: a
text's reading grade (loading the pronouncing dictionary takes most of a
second) or a layout's page count (which otherwise costs a second layout pass
in a new process). They are kept as tiny JSON files in the user's temporary
folder, keyed by a hash of everything they depend on. A cache that cannot be
read or written is never an error: the fact is simply computed again.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path


def _folder(kind: str) -> Path:
    user = os.getuid() if hasattr(os, "getuid") else 0
    return Path(tempfile.gettempdir()) / f"studio-handouts-{kind}-{user}"


def key(*parts: str) -> str:
    """A cache key for everything a fact depends on."""
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def load(kind: str, name: str):
    """The cached value, or None."""
    try:
        return json.loads((_folder(kind) / f"{name}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def store(kind: str, name: str, value) -> None:
    """Keep ``value`` (written atomically, so a reader never sees half of it)."""
    folder = _folder(kind)
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", dir=folder, delete=False, encoding="utf-8") as tmp:
            json.dump(value, tmp)
        os.replace(tmp.name, folder / f"{name}.json")
    except OSError:
        pass
