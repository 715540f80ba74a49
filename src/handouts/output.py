"""Writing PDFs: safe names, inside the output folder, all or nothing.

A PDF is written to a temporary file in the same folder and renamed over the
target, so a failed or interrupted build leaves the previous file as it was
and never a half-written one.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from slugify import slugify

from handouts.errors import OutputError
from handouts.project import safe_output_path

#: Windows device names: a file called CON.pdf cannot be opened there.
RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}
MAX_SLUG = 60


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
        os.replace(tmp, target)
    except BaseException:
        # Also on Ctrl-C: never leave a temporary file behind.
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
