"""``handouts init``: a studio folder of its own, ready to build on the first try.

The folder gets ``studio.yaml`` (filled in from the studio's name, paper and
colour), a copy of the bundled Constructive Rest content in every language
with its pictures, an example template of its own, an example roster and a
short README. The fixed files live in ``skeleton/`` as real files; only
``studio.yaml`` and the README are filled in. An existing file is never
overwritten: it is reported as skipped, so ``init`` can be run again safely.
"""

from __future__ import annotations

import json
import os
import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from string import Template

from handouts.content.load import load_content, load_studio, picture_fields
from handouts.content.models import Colors
from handouts.errors import OutputError, Problem
from handouts.layout import branding
from handouts.project import STUDIO_FILE, Project, is_inside

SKELETON = Path(__file__).resolve().parent / "skeleton"
#: The content a new studio starts from, in every language it ships in.
STARTER_CONTENT = "constructive-rest"
FILLED_IN = {STUDIO_FILE, "README.md"}


@dataclass
class Initialised:
    """What ``init`` did: files written and files left alone, relative to ``folder``."""

    folder: Path
    written: list[Path] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def default_name(folder: Path) -> str:
    """A studio name from a folder name: ``harbour-light`` -> ``Harbour Light``."""
    words = re.split(r"[-_\s]+", folder.resolve().name)
    return " ".join(word.capitalize() for word in words if word) or "My Studio"


def init_studio(folder: Path, *, name: str, paper: str = "letter", color: str | None = None) -> Initialised:
    """Create (or complete) a studio folder at ``folder``, never overwriting a file."""
    bundled = Project()
    primary = branding.parse_color(color) if color else Colors().primary
    files = {STUDIO_FILE: _studio_yaml(bundled, name, paper, primary)}
    files.update(_skeleton_files(name))
    files.update(_starter_content(bundled))
    done = Initialised(folder)
    _refuse_links_out(folder, files)
    for relative, data in files.items():
        target = folder / relative
        (done.written if _write_new(target, data) else done.skipped).append(Path(relative))
    studio_file = folder / STUDIO_FILE
    done.warnings = branding.colour_problems(load_studio(studio_file), studio_file)
    return done


def _studio_yaml(bundled: Project, name: str, paper: str, primary: str) -> bytes:
    disclaimer = load_studio(bundled.studio_file()).disclaimer
    if isinstance(disclaimer, dict):
        disclaimer = "disclaimer:\n" + "".join(_folded(tag, text, "  ") for tag, text in disclaimer.items())
    else:
        disclaimer = _folded("disclaimer", disclaimer, "")
    text = Template((SKELETON / STUDIO_FILE).read_text(encoding="utf-8")).substitute(
        name=json.dumps(name, ensure_ascii=False),  # a JSON string is a valid YAML scalar
        paper=paper,
        primary=primary,
        accent=Colors().accent,
        sidebar=branding.tint(primary),
        disclaimer=disclaimer,
    )
    return text.encode("utf-8")


def _folded(key: str, text: str, indent: str) -> str:
    """``key: >-`` and ``text`` wrapped beneath it: YAML as a person would write it."""
    body = textwrap.fill(text, width=76, initial_indent=indent + "  ", subsequent_indent=indent + "  ")
    return f"{indent}{key}: >-\n{body}\n"


def _skeleton_files(name: str) -> dict[str, bytes]:
    files = {}
    for path in sorted(SKELETON.rglob("*")):
        relative = path.relative_to(SKELETON).as_posix()
        if path.is_file() and relative != STUDIO_FILE and "__pycache__" not in relative:
            data = path.read_bytes()
            if relative in FILLED_IN:
                data = Template(data.decode("utf-8")).safe_substitute(name=name).encode("utf-8")
            files[relative] = data
    return files


def _starter_content(bundled: Project) -> dict[str, bytes]:
    """The bundled starter content in each language, and the pictures it names."""
    files = {}
    folder = bundled.bundled / "content"
    for file in sorted(folder.glob(f"{STARTER_CONTENT}.*.yaml")):
        files[f"content/{file.name}"] = file.read_bytes()
        for _, name in picture_fields(load_content(file)):
            files[(Path("content") / name).as_posix()] = (folder / name).resolve().read_bytes()
    return files


def _refuse_links_out(folder: Path, files: dict[str, bytes]) -> None:
    """Refuse, before writing anything, a folder on the way (``content/``...) that is a link out of ``folder``."""
    home = folder.resolve()
    for relative in sorted({str(Path(name).parent) for name in files} - {"."}):
        step = folder
        for part in Path(relative).parts:
            step = step / part
            if step.is_symlink() and not is_inside(step, home):
                raise OutputError(f"{step} is a link to {os.path.realpath(step)}, outside the studio folder: "
                                  "init does not write through it",
                                  hint="remove the link (or make it a folder of its own), then run init again")


def _write_new(target: Path, data: bytes) -> bool:
    """Write ``target`` only if it does not exist yet; False when it was left alone."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        # O_EXCL never follows a link, even one to nowhere: an existing name is left alone.
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o666)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
    except FileExistsError:
        return False
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}",
                          hint="check that the folder is writable") from None
    return True

