"""Writing PDFs: safe names, inside the output folder, all or nothing.

A PDF is written to a temporary file in the same folder and renamed over the
target, so a failed or interrupted build (Ctrl-C included) leaves the previous
file as it was and never a half-written one. A process killed outright
(SIGKILL, a power cut) cannot clean up: the next write into the folder
removes what it left (see :func:`remove_stale`).
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import inspect
import os
import re
import socket
import stat
import tempfile
import time
from pathlib import Path

from slugify import slugify

from handouts.errors import OutputError
from handouts.project import file_kind, safe_output_path

#: Windows device names: a file called CON.pdf cannot be opened there.
RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}
MAX_SLUG = 60
#: Which transliterator slugify uses, named (where it can be): left to choose, it tries to import the
#: optional ``unidecode`` on every call (10 times the cost of a slug), and could pick another one on
#: another machine, where the same name would get another slug.
_SLUG_OPTIONS = {"backend": "text-unidecode"} if "backend" in inspect.signature(slugify).parameters else {}


def client_slug(name: str) -> str:
    """An ASCII, file-safe slug for a client's name ('Zoë Łukasz' -> 'zoe-lukasz')."""
    slug = slugify(name, max_length=MAX_SLUG, word_boundary=True, **_SLUG_OPTIONS) or "client"
    return f"{slug}-client" if slug in RESERVED else slug


def output_name(content_id: str, *, lang: str, template: str, paper: str, practice_log: bool = False,
                client: str | None = None, number: int = 1) -> str:
    """``<content-id>.<lang>.<template>.<paper>[.log][.<client-slug>[-<number>]].pdf``: every choice that changes
    the bytes. ``number`` tells namesakes in one class apart (Ana García, Ana García (2): ``ana-garcia-2``).

    Two builds into one folder that differ in language, template, paper,
    practice log or client never share a name. The parts are joined with dots,
    which none of them holds, so a name reads back into its parts; the
    language is lower-cased so that no two names differ only in case (a
    Windows or macOS folder would take them for one file).
    """
    parts = [content_id, lang.lower(), template, paper] + (["log"] if practice_log else [])
    parts += [client_slug(client) + (f"-{number}" if number > 1 else "")] if client else []
    return ".".join(parts) + ".pdf"


def class_folder(class_name: str | None, date: dt.date, roster: Path) -> str:
    """A class's own folder under output/: its name and date ('tuesday-6-pm-mat-2026-12-01'), else the roster's."""
    if class_name:
        return f"{slugify(class_name, max_length=MAX_SLUG, word_boundary=True, **_SLUG_OPTIONS) or 'class'}-{date}"
    return slugify(Path(roster).stem, max_length=MAX_SLUG, word_boundary=True, **_SLUG_OPTIONS) or "class"


def name_for(job, client: str | None = None, number: int = 1) -> str:
    """The output name of a prepared build (``build.Job``), for a client or for everyone."""
    return output_name(job.content.id, lang=job.lang, template=job.template.name, paper=job.paper,
                       practice_log=job.practice_log, client=client, number=number)


#: This machine, in our temporary files' names (an output folder may be shared over a network).
_HOST = hashlib.sha1(socket.gethostname().encode("utf-8")).hexdigest()[:6]
#: Our temporary files: ``.<name>.<host>-<pid>.<random>.tmp`` beside their target.
_TEMP = re.compile(r"^\..+\.([0-9a-f]{6})-(\d+)\.[A-Za-z0-9_]{8}\.tmp$")
#: A temporary file of another machine this old belongs to a build that died.
STALE_SECONDS = 300


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


#: A new file's permissions as the user's umask wants them (mkstemp makes them private).
FILE_MODE = 0o666 & ~_umask()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True  # someone else's process, or a number we cannot ask about: leave it
    return True


def write_atomic(out_dir: Path, name: str, data: bytes, *, durable: bool = True) -> Path:
    """Write ``data`` to ``out_dir/name`` via a temporary file and a rename.

    Readers see the old file or the new one, never half of one; a failed or
    interrupted write (Ctrl-C included) leaves the old file and no temporary.
    ``durable=False`` leaves out the fsync and the sweep of stale temporaries:
    for a batch writing hundreds of files, which then calls ``settle`` once.
    """
    target = safe_output_path(out_dir, name)
    _refuse_not_a_file(out_dir, target)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.{_HOST}-{os.getpid()}.", suffix=".tmp", dir=out_dir)
    except OSError as exc:
        raise OutputError(f"cannot write to {out_dir}: {exc.strerror}", hint=_hint(exc)) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, target)
    except BaseException as exc:
        # Also on Ctrl-C: never leave a temporary file behind.
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write {target}: {exc.strerror}", hint=_hint(exc)) from None
        raise
    if durable:
        remove_stale(out_dir)
    return target


def _refuse_not_a_file(out_dir: Path, target: Path) -> None:
    """The output folder must be a folder, and what is at the PDF's name (if anything) a file or a link."""
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"the output folder {out_dir} is a file, not a folder",
                          hint="pass --out naming a folder, or move that file away")
    try:
        mode = os.lstat(target).st_mode
    except OSError:
        return  # nothing there yet
    if stat.S_ISDIR(mode):
        raise OutputError(f"{target} is a folder, so the PDF cannot be written there",
                          hint="remove or rename that folder, or build into another with --out")
    if not (stat.S_ISREG(mode) or stat.S_ISLNK(mode)):
        raise OutputError(f"{target} is {file_kind(mode)}, not a regular file: nothing was written over it",
                          hint="remove it, or build into another folder with --out")


def _hint(exc: OSError) -> str:
    """What to do about a failed write, by what the system said."""
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return "free some space on that disk, or build into another folder with --out"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "you may not write there: build into another folder with --out"
    return "check the folder, or build into another with --out"


def settle(out_dir: Path) -> None:
    """After many ``durable=False`` writes: put them all on disk at once, sweep stale temporaries."""
    if hasattr(os, "sync"):
        os.sync()
    remove_stale(out_dir)


def remove_stale(folder: Path) -> list[Path]:
    """Delete our temporary files left in ``folder`` by builds that were killed; return them.

    One written on this machine goes as soon as its process is gone; one
    whose process still runs (a parallel batch) stays. One from another
    machine (a shared folder) goes once it is STALE_SECONDS old.
    """
    removed, cutoff = [], time.time() - STALE_SECONDS
    for path in folder.glob(".*.tmp"):
        match = _TEMP.match(path.name)
        try:
            if match and (not _alive(int(match.group(2))) if match.group(1) == _HOST
                          else path.stat().st_mtime < cutoff):
                path.unlink()
                removed.append(path)
        except OSError:
            pass  # gone already, or not ours to remove
    return removed
