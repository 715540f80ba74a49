"""What each file of a batch was made from, so the next run can skip what has not changed.

A small JSON file in the output folder (written atomically, like the PDFs)
maps each handout's name to a hash of its inputs: the tool's version, the
content, studio and template files, fonts and images (``layer_digest``), and
the client's own row, the date and the class name. A file is up to date when
its hash is unchanged and the file is still there; the class pack has a hash
of its own over every handout in it, in order. The same hash of a layout's
inputs names its shared pages in the on-disk cache (see ``stamp``).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from handouts import __version__, build, cache
from handouts.output import write_atomic

NAME = ".handouts-batch.json"


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


def layer_digest(job: build.Job) -> str:
    """Everything a layout's pages are made from: the tool, content, studio, template, fonts, images."""
    files = [job.content_file, job.studio_file, *build.studio_fonts(job.studio, job.studio_file).files().values()]
    if job.content.illustration:
        files.append(job.content_file.parent / job.content.illustration.file)
    if job.logo:
        files.append(job.logo.file)
    for layer in job.project.layers:
        for folder in (layer / "templates" / job.template.name, layer / "templates" / "_base"):
            files += sorted(path for path in folder.rglob("*") if path.is_file())
    return digest(tool_digest(), job.paper, job.lang, job.template.name,
                  [(str(path), hashlib.sha256(path.read_bytes()).hexdigest()) for path in files if path.is_file()])


@dataclass
class Manifest:
    """File name -> input hash, and the class pack's hash."""

    files: dict[str, str] = field(default_factory=dict)
    pack: str | None = None

    def current(self, out_dir: Path, name: str, inputs: str) -> bool:
        """True when ``name`` was made from ``inputs`` and is still in ``out_dir``."""
        return self.files.get(name) == inputs and (out_dir / name).is_file()


def load(out_dir: Path) -> Manifest:
    """The last run's manifest; an empty one if there is none, it is unreadable, or from another version."""
    try:
        data = json.loads((out_dir / NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Manifest()
    if not (isinstance(data, dict) and data.get("tool") == __version__ and isinstance(data.get("files"), dict)):
        return Manifest()
    return Manifest(data["files"], data.get("pack"))


def save(out_dir: Path, manifest: Manifest) -> None:
    data = {"tool": __version__, "files": manifest.files, "pack": manifest.pack}
    write_atomic(out_dir, NAME, json.dumps(data, indent=1, sort_keys=True).encode("utf-8"))
