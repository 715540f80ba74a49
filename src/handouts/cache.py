"""A small on-disk cache of derived facts, private to the user who runs the tool.

Some results are slow to compute and never change for the same input: a
text's reading grade (loading the pronouncing dictionary takes most of a
second), a layout's page count, a class's shared pages, compiled templates.
They are kept in the user's own cache folder (``platformdirs``: on Linux
``~/.cache/studio-handouts``), one subfolder per kind, keyed by a hash of
everything they depend on.

What a cache holds ends up in handouts, so nothing is taken from it unless it
is ours: the folders must belong to the user and be closed to others (made
with mode 0700; one that is not is refused with a single warning line and
left alone), a file must be a regular file of ours that no one else may
write, and its contents must carry the digest we stored with them. A cache
that cannot be used is never an error: the fact is computed again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import stat
import tempfile
from functools import lru_cache
from pathlib import Path

import platformdirs

from handouts import limits

APP = "studio-handouts"
_MAGIC = b"studio-handouts cache 1\n"
_log = logging.getLogger("handouts")


def root() -> Path:
    """Where the caches live: the user's cache folder for this tool."""
    return Path(platformdirs.user_cache_dir(APP, appauthor=False))


def key(*parts: str) -> str:
    """A cache key for everything a fact depends on."""
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def _uid() -> int | None:
    return os.getuid() if hasattr(os, "getuid") else None


def _distrust(info: os.stat_result, folder: bool) -> str | None:
    """Why a cache entry is not safely ours, or None."""
    if folder and not stat.S_ISDIR(info.st_mode):
        return "is not a folder"
    if not folder and not stat.S_ISREG(info.st_mode):
        return "is not a regular file"
    uid = _uid()
    if uid is not None and info.st_uid != uid:
        return f"belongs to another user (uid {info.st_uid})"
    if uid is not None and info.st_mode & (0o077 if folder else 0o022):
        return f"is open to other users (mode {stat.S_IMODE(info.st_mode):04o})"
    return None


def _private_folder(path: Path) -> bool:
    """Make ``path`` (mode 0700) or check the one there; False, and a warning once, if it is not ours."""
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = os.lstat(path)
    except OSError:
        return False  # no cache folder can be made here (read-only home...): work without it
    why = "is a symbolic link" if stat.S_ISLNK(info.st_mode) else _distrust(info, folder=True)
    if why:
        _log.warning("warning: the cache folder %s %s: working without the cache "
                     "(hint: remove it, and the tool makes a private one again)", path, why)
        return False
    return True


@lru_cache(maxsize=None)
def _base(path: Path) -> bool:
    return _private_folder(path)


@lru_cache(maxsize=None)
def _kind_folder(path: Path) -> bool:
    return _private_folder(path)


def folder(kind: str) -> Path | None:
    """The folder of one kind of cache, or None when it cannot be trusted or made (checked once per process)."""
    base = root()
    return base / kind if _base(base) and _kind_folder(base / kind) else None


def _digest(kind: str, name: str, payload: bytes) -> bytes:
    return hashlib.sha256(f"{kind}\x1f{name}\x1f".encode("utf-8") + payload).hexdigest().encode("ascii")


def load_bytes(kind: str, name: str) -> bytes | None:
    """The bytes stored under ``name``, or None (absent, not ours, altered or cut short)."""
    where = folder(kind)
    if where is None:
        return None
    try:
        fd = os.open(where / name, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if _distrust(info, folder=False) or info.st_size > limits.MAX_CACHE_BYTES:
            return None
        data = handle.read(limits.MAX_CACHE_BYTES + 1)
    head, digest_end = len(_MAGIC), len(_MAGIC) + 64
    if not data.startswith(_MAGIC) or data[digest_end:digest_end + 1] != b"\n":
        return None
    payload = data[digest_end + 1:]
    return payload if data[head:digest_end] == _digest(kind, name, payload) else None


def store_bytes(kind: str, name: str, payload: bytes) -> None:
    """Keep ``payload`` under ``name``: written privately (0600) and atomically, with its digest."""
    where = folder(kind)
    if where is None or len(payload) > limits.MAX_CACHE_BYTES:
        return
    tmp = None
    try:
        with tempfile.NamedTemporaryFile("wb", dir=where, delete=False) as handle:  # mode 0600
            tmp = handle.name
            handle.write(_MAGIC + _digest(kind, name, payload) + b"\n" + payload)
        os.replace(tmp, where / name)
    except OSError:
        if tmp:
            Path(tmp).unlink(missing_ok=True)


def load(kind: str, name: str):
    """The JSON value stored under ``name``, or None."""
    data = load_bytes(kind, f"{name}.json")
    try:
        return json.loads(data) if data is not None else None
    except ValueError:
        return None


def store(kind: str, name: str, value) -> None:
    """Keep a JSON value under ``name`` (see ``store_bytes``)."""
    store_bytes(kind, f"{name}.json", json.dumps(value).encode("utf-8"))
