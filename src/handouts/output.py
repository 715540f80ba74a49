"""Writing PDFs: safe names, inside the output folder, all or nothing.

A PDF is written to a temporary file in the same folder (``.<name>.<random>.tmp``)
and renamed over the target, so a failed or interrupted build leaves the
previous file as it was and never a half-written one. A temporary file left by
a process that was killed outright (SIGKILL, power loss) is removed by the next
write into that folder once it is a few minutes old.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from pathlib import Path

from slugify import slugify

from handouts.errors import OutputError
from handouts.project import safe_output_path

#: Windows device names: a file called CON.pdf cannot be opened there.
RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}
MAX_SLUG = 60
#: Our own temporary files (``tempfile.mkstemp(prefix=".<name>.", suffix=".tmp")``).
_TEMP = re.compile(r"^\..+\.pdf\.[A-Za-z0-9_]{8}\.tmp$")
#: A temporary file this old belongs to a build that died, not to one running now.
STALE_SECONDS = 300


def client_slug(name: str) -> str:
    """An ASCII, file-safe slug for a client's name ('Zoë Łukasz' -> 'zoe-lukasz')."""
    slug = slugify(name, max_length=MAX_SLUG, word_boundary=True) or "client"
    return f"{slug}-client" if slug in RESERVED else slug


def output_name(content_id: str, template: str, client: str | None = None) -> str:
    """``<content-id>-<template>[-<client-slug>].pdf``."""
    parts = [content_id, template] + ([client_slug(client)] if client else [])
    return "-".join(parts) + ".pdf"


def write_atomic(out_dir: Path, name: str, data: bytes) -> Path:
    """Write ``data`` to ``out_dir/name`` via a temporary file and a rename."""
    target = safe_output_path(out_dir, name)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=out_dir)
    except OSError as exc:
        raise OutputError(f"cannot write to {out_dir}: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException as exc:
        # Also on Ctrl-C: never leave a temporary file behind.
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write {target}: {exc.strerror}", hint="check the free space and the "
                              "folder's permissions") from None
        raise
    remove_stale(out_dir)
    return target


def remove_stale(folder: Path) -> None:
    """Delete our temporary files left in ``folder`` by builds that were killed."""
    cutoff = time.time() - STALE_SECONDS
    for path in folder.glob(".*.tmp"):
        try:
            if _TEMP.match(path.name) and path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:
            pass  # gone already, or not ours to remove
