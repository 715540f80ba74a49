"""What each file in an output folder was made from.

Two small JSON files beside the PDFs, written atomically like them:

- ``.handouts-batch.json``, a class folder's: each handout's name with a
  hash of its inputs (the tool, the content, studio and template files,
  fonts and pictures: ``layer_digest``; the client's row, the date, the class
  name) and its page count, and the class pack's hash over all of them in
  order. A file is up to date when its hash is unchanged and it is still
  there. The same hash of a layout's inputs names its shared pages in the
  on-disk cache (see ``stamp``).
- ``.handouts-builds.json``: for each file ``handouts build`` wrote, the
  choices its name does not carry (the content file, studio, client, note,
  date), so that a build about to replace a file made from other ones says
  so (``replacing``).

Both are the tool's own files: one that is not a regular file (a FIFO, a
link to a device) is refused, never read or replaced.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from handouts import __version__, cache, limits
from handouts.errors import HandoutError, OutputError, Problem
from handouts.output import write_atomic

if TYPE_CHECKING:
    from handouts.build import Job

NAME = ".handouts-batch.json"
BUILDS = ".handouts-builds.json"


def digest(*parts) -> str:
    """A hash of JSON-able parts (dates and paths as text)."""
    return cache.key(json.dumps(parts, default=str, ensure_ascii=False))


@lru_cache(maxsize=1)
def tool_digest() -> str:
    """The code that makes the pages: this package's source and the PDF libraries' versions.

    The source itself, not only the version number, so that an edited checkout rebuilds.
    """
    import pikepdf
    import reportlab
    import z3c.rml

    source = hashlib.sha256()
    for path in sorted(Path(__file__).parent.rglob("*.py")):
        source.update(path.read_bytes())
    return digest(__version__, source.hexdigest(), reportlab.Version, z3c.rml.__version__, pikepdf.__version__)


def layer_digest(job: "Job") -> str:
    """Everything a layout's pages are made from: the tool, content, studio, template, fonts, every picture."""
    from handouts.build import studio_fonts
    from handouts.content.load import picture_fields

    files = [job.content_file, job.studio_file, *studio_fonts(job.studio, job.studio_file).files().values()]
    files += [job.content_file.parent / name for _, name in picture_fields(job.content)]
    if job.logo:
        files.append(job.logo.file)
    for layer in job.project.layers:
        for folder in (layer / "templates" / job.template.name, layer / "templates" / "_base"):
            files += sorted(path for path in folder.rglob("*") if path.is_file())
    return digest(tool_digest(), job.paper, job.lang, job.template.name, job.practice_log,
                  [(str(path), hashlib.sha256(path.read_bytes()).hexdigest()) for path in files if path.is_file()])


@dataclass
class Manifest:
    """A class folder's record: file name -> input hash and pages, and the class pack's hash."""

    files: dict[str, str] = field(default_factory=dict)
    pack: str | None = None
    pages: dict[str, int] = field(default_factory=dict)

    def current(self, out_dir: Path, name: str, inputs: str) -> bool:
        """True when ``name`` was made from ``inputs`` and is still in ``out_dir``."""
        return self.files.get(name) == inputs and (out_dir / name).is_file()


def _read_own(path: Path):
    """One of our JSON records, or None when there is none or it is unreadable; an error if it is not a file."""
    try:
        info = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        kind = "a link" if stat.S_ISLNK(info.st_mode) else "a named pipe (FIFO)" if stat.S_ISFIFO(info.st_mode) \
            else "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file"
        raise OutputError(f"{path} is {kind}; the tool keeps its own record there",
                          hint="remove it, or pass --out DIR with another folder")
    if info.st_size > limits.MAX_MANIFEST_BYTES:
        return None
    try:
        with open(path, "rb") as handle:
            return json.loads(handle.read(limits.MAX_MANIFEST_BYTES))
    except (OSError, ValueError):
        return None


def load(out_dir: Path) -> Manifest:
    """The last run's manifest; an empty one if there is none, it is unreadable, or from another version."""
    data = _read_own(out_dir / NAME)
    if not (isinstance(data, dict) and data.get("tool") == __version__ and isinstance(data.get("files"), dict)):
        return Manifest()
    pages = data.get("pages") if isinstance(data.get("pages"), dict) else {}
    return Manifest(data["files"], data.get("pack"), pages)


def save(out_dir: Path, manifest: Manifest) -> None:
    data = {"tool": __version__, "files": manifest.files, "pack": manifest.pack, "pages": manifest.pages}
    write_atomic(out_dir, NAME, json.dumps(data, indent=1, sort_keys=True).encode("utf-8"))


def _builds(out_dir: Path) -> dict:
    data = _read_own(out_dir / BUILDS)
    return data if isinstance(data, dict) else {}


def replacing(out_dir: Path, name: str, made_from: dict) -> list[Problem]:
    """A warning when ``out_dir/name`` exists and was not made from ``made_from`` (nothing otherwise)."""
    target = out_dir / name
    if not target.exists():
        return []
    known = _builds(out_dir).get(name)
    if known is None:
        batch = name in load(out_dir).files
        message = f"replaced {target}, " + ("a handout of the class batch in this folder" if batch
                                            else "which this tool has no record of making")
    else:
        changed = [key.replace("_", " ") for key in made_from if known.get(key) != made_from[key]]
        if not changed:
            return []
        message = f"replaced {target}, which was made with another {' and '.join(changed)}"
    return [Problem(message, severity="warning", hint="pass --out DIR to keep both")]


def remember(out_dir: Path, name: str, made_from: dict) -> None:
    """Record what ``name`` was made from (see ``replacing``). The record only serves a warning:
    a folder that takes the PDF but not the record does not fail the build that wrote it."""
    try:
        builds = _builds(out_dir)
        if builds.get(name) != made_from:
            builds[name] = made_from
            write_atomic(out_dir, BUILDS,
                         json.dumps(builds, indent=1, sort_keys=True, ensure_ascii=False).encode("utf-8"))
    except HandoutError:
        pass
