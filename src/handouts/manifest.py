"""What each file in an output folder was made from.

Small JSON records beside the PDFs, the first two written atomically like them:

- ``.handouts-batch.json``, a class folder's: the roster it holds, each
  handout's name with a hash of its inputs (the tool, the content, studio and
  template files, fonts and pictures: ``layer_digest``; the client's row, the
  date, the class name), its page count and what was written (``Made``: size
  and SHA-256), and the same for the class pack over all of them in order. A
  file is up to date when its inputs are unchanged and its bytes are still
  the ones written (a file rebuilt by ``handouts build`` or edited by hand is
  not). The same hash of a layout's inputs names its shared pages in the
  on-disk cache (see ``stamp``).
- ``.handouts-batch.journal``: a line per handout as it is written, so that
  the files of a batch that was stopped (Ctrl-C, kill -9) are known as the
  batch's own the next time; folded into the manifest when a batch ends.
- ``.handouts-builds.json``: for each file ``handouts build`` wrote, the
  choices its name does not carry (the content file, studio, client, note,
  date), so that a build about to replace a file made from other ones says
  so (``replacing``).

Both are the tool's own files: one that is not a regular file (a FIFO, a
link to a device) is refused, never read or replaced.
"""

from __future__ import annotations

import dataclasses
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
JOURNAL = ".handouts-batch.journal"
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


@dataclass(frozen=True)
class Made:
    """What a batch wrote at one name: made from ``inputs``, ``size`` bytes with this ``sha256``."""

    inputs: str
    size: int
    sha256: str
    pages: int | None = None

    @classmethod
    def of(cls, inputs: str, data: bytes, pages: int | None = None) -> "Made":
        return cls(inputs, len(data), hashlib.sha256(data).hexdigest(), pages)

    @classmethod
    def read(cls, data) -> "Made | None":
        """One from its JSON form; None for anything else (an older record, a torn line)."""
        try:
            made = cls(data["inputs"], data["size"], data["sha256"], data.get("pages"))
        except (TypeError, KeyError, AttributeError):
            return None
        typed = isinstance(made.inputs, str) and isinstance(made.size, int) and isinstance(made.sha256, str)
        return made if typed and (made.pages is None or isinstance(made.pages, int)) else None

    def current(self, path: Path, inputs: str) -> bool:
        """True when this was made from ``inputs`` and ``path`` still holds the bytes written."""
        return self.inputs == inputs and self.on_disk(path)

    def on_disk(self, path: Path) -> bool:
        """True when ``path`` still holds exactly these bytes (the size first: most changes stop there)."""
        try:
            if os.stat(path).st_size != self.size or not path.is_file():
                return False
            with open(path, "rb") as handle:
                return hashlib.file_digest(handle, "sha256").hexdigest() == self.sha256
        except OSError:
            return False


@dataclass
class Manifest:
    """A class folder's record: the roster, what each file and the class pack were made from and are.

    A name mapped to None is the batch's own whose bytes are not known (one
    recorded by an older version): it is rebuilt, without a warning.
    """

    files: dict[str, Made | None] = field(default_factory=dict)
    pack: Made | None = None
    roster: str | None = None

    def current(self, out_dir: Path, name: str, inputs: str) -> bool:
        """True when ``name`` was made from ``inputs`` and ``out_dir`` still holds the bytes written."""
        made = self.files.get(name)
        return made is not None and made.current(out_dir / name, inputs)

    def changed(self, out_dir: Path, name: str) -> bool:
        """True when a file the batch wrote at ``name`` is there with other bytes (rebuilt alone, edited)."""
        made = self.files.get(name)
        return made is not None and (out_dir / name).exists() and not made.on_disk(out_dir / name)

    def replacing(self, out_dir: Path, names: list[str]) -> list[Problem]:
        """About to write ``names``: a warning line for those there that no batch of this folder made, and
        one for those of the batch that changed since (rebuilt with ``handouts build``, edited by hand)."""
        foreign = [name for name in names if name not in self.files and (out_dir / name).exists()]
        changed = [name for name in names if self.changed(out_dir, name)]
        return [problem for problem in (
            _replaced(out_dir, foreign, "which no batch of this folder made",
                      "give the batch a folder of its own with --out DIR to keep both"),
            _replaced(out_dir, changed, "which had changed since this batch wrote it",
                      "build single handouts into another folder with --out DIR to keep them")) if problem]


#: Files named in a warning line; the rest are counted.
SHOWN = 3


def _replaced(out_dir: Path, names: list[str], why: str, hint: str) -> Problem | None:
    """One line however many files: the file, or how many and the first few."""
    if not names:
        return None
    if len(names) == 1:
        return Problem(f"replaced {out_dir / names[0]}, {why}", severity="warning", hint=hint)
    more = f" and {len(names) - SHOWN} more" if len(names) > SHOWN else ""
    return Problem(f"replaced {len(names)} files in {out_dir}, {why}: {', '.join(names[:SHOWN])}{more}",
                   severity="warning", hint=hint)


def _read_own(path: Path) -> bytes | None:
    """One of our records' bytes, or None when there is none or it is too big; an error if it is not a file."""
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
            return handle.read(limits.MAX_MANIFEST_BYTES)
    except OSError:
        return None


def _read_json(path: Path):
    data = _read_own(path)
    try:
        return None if data is None else json.loads(data)
    except ValueError:
        return None


def load(out_dir: Path) -> Manifest:
    """The last run's manifest with the files a stopped run wrote since; empty if none, unreadable, or old."""
    data = _read_json(out_dir / NAME)
    manifest = Manifest()
    if isinstance(data, dict) and data.get("tool") == __version__ and isinstance(data.get("files"), dict):
        roster = data.get("roster")
        manifest = Manifest({name: Made.read(made) for name, made in data["files"].items()}, Made.read(data.get("pack")),
                            roster if isinstance(roster, str) else None)
    for line in (_read_own(out_dir / JOURNAL) or b"").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue  # a line torn by a kill
        if isinstance(entry, dict) and entry.get("tool") == __version__ and isinstance(entry.get("name"), str):
            manifest.files[entry["name"]] = Made.read(entry)
    return manifest


def save(out_dir: Path, manifest: Manifest) -> None:
    """Write the manifest; the journal it now holds goes."""
    files = {name: made and dataclasses.asdict(made) for name, made in manifest.files.items()}
    data = {"tool": __version__, "roster": manifest.roster, "files": files,
            "pack": manifest.pack and dataclasses.asdict(manifest.pack)}
    write_atomic(out_dir, NAME, json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False).encode("utf-8"))
    (out_dir / JOURNAL).unlink(missing_ok=True)


def journal(out_dir: Path, name: str, made: Made) -> None:
    """Note a file as soon as it is written (see the module's docstring).

    One short line appended in one write, from any worker process. The note
    only spares a stopped batch's files a warning and a rebuild: a folder
    that will not take it (or a journal that is not a regular file) does not
    fail the file that was written.
    """
    line = json.dumps({"tool": __version__, "name": name, **dataclasses.asdict(made)}, ensure_ascii=False) + "\n"
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(out_dir / JOURNAL, flags, 0o666)
    except OSError:
        return
    try:
        if stat.S_ISREG(os.fstat(fd).st_mode):
            os.write(fd, line.encode("utf-8"))
    except OSError:
        pass
    finally:
        os.close(fd)


def _builds(out_dir: Path) -> dict:
    data = _read_json(out_dir / BUILDS)
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
