"""Where things are: the studio folder, the bundled defaults, the output.

A studio folder holds ``studio.yaml``, ``content/`` and ``templates/``; its
files win over the bundled ones by name (as a theme's ``custom_dir`` does in
MkDocs). Every lookup goes through :class:`Project` so that no path a user
writes can reach outside those folders.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from handouts.errors import ContentError, OutputError

PACKAGE_DIR = Path(__file__).resolve().parent
STUDIO_FILE = "studio.yaml"


def bundled_root() -> Path:
    """The built-in templates, content and studio.yaml.

    Inside a wheel they are force-included as ``handouts/_bundled``; in an
    editable install they are read straight from the source checkout, so an
    edit to a template shows on the next build.
    """
    wheel = PACKAGE_DIR / "_bundled"
    return wheel if wheel.is_dir() else PACKAGE_DIR.parent.parent


def find_studio_root(start: Path) -> Path | None:
    """The nearest folder at or above ``start`` that holds a studio.yaml."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / STUDIO_FILE).is_file():
            return folder
    return None


def is_inside(path: Path, folder: Path) -> bool:
    """True when ``path`` (resolved, links followed) lies within ``folder``."""
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class Project:
    """A studio folder (or none) layered over the bundled defaults."""

    root: Path | None = None
    bundled: Path = field(default_factory=bundled_root)

    @classmethod
    def discover(cls, explicit: Path | None = None, cwd: Path | None = None) -> "Project":
        """Use ``--project DIR`` if given, else look upwards from the current folder."""
        if explicit is not None:
            if not (explicit / STUDIO_FILE).is_file():
                raise ContentError(
                    f"no {STUDIO_FILE} in {explicit}",
                    hint="run `handouts init DIR` to make a studio folder",
                )
            return cls(root=explicit.resolve())
        return cls(root=find_studio_root(cwd or Path.cwd()))

    @property
    def layers(self) -> list[Path]:
        """Folders searched in order: the studio's own, then the bundled one."""
        folders = [self.root] if self.root else []
        if self.bundled.resolve() not in [f.resolve() for f in folders]:
            folders.append(self.bundled)
        return folders

    def find(self, *parts: str) -> Path | None:
        """The first layer's file at ``parts``, refusing paths that climb out."""
        for layer in self.layers:
            candidate = layer.joinpath(*parts)
            if candidate.exists() and is_inside(candidate, layer):
                return candidate
        return None

    def studio_file(self) -> Path:
        found = self.find(STUDIO_FILE)
        assert found is not None, "the bundled studio.yaml is missing from the install"
        return found

    def default_out_dir(self) -> Path:
        """``output/`` in the studio folder, or in the current folder."""
        return (self.root or Path.cwd()) / "output"

    def content_ids(self) -> list[str]:
        """Every ``<id>.<lang>`` content file, studio first."""
        names = set()
        for layer in self.layers:
            names.update(p.name.removesuffix(".yaml") for p in (layer / "content").glob("*.*.yaml"))
        return sorted(names)

    def resolve_content(self, ref: str, lang: str) -> Path:
        """A content id (``constructive-rest``) or a path to a YAML file."""
        if ref.endswith((".yaml", ".yml")) or os.sep in ref or "/" in ref:
            path = Path(ref)
            if not path.is_file():
                raise ContentError("content file not found", file=ref, hint="check the path")
            return path
        if not ref.replace("-", "").isalnum() or ref != ref.lower():
            raise ContentError(
                f"'{ref}' is not a content id",
                hint="use lower-case letters, digits and hyphens, or a path to a .yaml file",
            )
        found = self.find("content", f"{ref}.{lang}.yaml")
        if found is None:
            available = ", ".join(self.content_ids()) or "none"
            raise ContentError(
                f"no content '{ref}' in language '{lang}'",
                hint=f"available: {available}",
            )
        return found


def safe_output_path(out_dir: Path, name: str) -> Path:
    """``out_dir/name``, refusing anything that would land outside ``out_dir``."""
    if not name or name in {".", ".."} or "/" in name or "\\" in name or "\0" in name:
        raise OutputError(f"unsafe output file name {name!r}")
    target = out_dir / name
    if not is_inside(target, out_dir):
        raise OutputError(f"output file {name!r} would be written outside {out_dir}")
    return target
