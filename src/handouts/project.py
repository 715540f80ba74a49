"""Where things are: the studio folder, the bundled defaults, the output.

A studio folder holds ``studio.yaml``, ``content/`` and ``templates/``; its
files win over the bundled ones by name (as a theme's ``custom_dir`` does in
MkDocs). Every lookup goes through :class:`Project` so that no path a user
writes can reach outside those folders.
"""

from __future__ import annotations

import os
import stat
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
        # Any entry counts: a broken studio.yaml is reported, never silently passed over.
        if os.path.lexists(folder / STUDIO_FILE):
            return folder
    return None


def is_inside(path: Path, folder: Path) -> bool:
    """True when ``path`` (resolved, links followed) lies within ``folder``."""
    try:
        path.resolve().relative_to(folder.resolve())
    except (ValueError, OSError, RuntimeError):  # outside, a name too long, a loop of links
        return False
    return True


def file_kind(mode: int) -> str | None:
    """What a file system entry is when it is not a regular file ("a folder", "a named pipe (FIFO)"...)."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def unusable(path: Path, folder: Path | None = None) -> str | None:
    """Why the file a user named (``path``, which must stay in ``folder``) cannot be read, or None.

    Links are followed: one that leads out of ``folder`` is refused like a
    ``../`` path, and one to nothing is named as such, not as "not found".
    """
    if not os.path.lexists(path):
        return "not found"
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return "is a link to a file that does not exist"
    except OSError as exc:
        return f"cannot be read: {exc.strerror}"
    if folder is not None and not is_inside(path, folder):
        return f"leads outside {folder} (it is a link to a file elsewhere)"
    kind = file_kind(mode)
    return f"is {kind}, not a file" if kind else None


def size_text(count: int) -> str:
    """``1234567`` -> ``1.2 MB``: a size as people read it."""
    for unit, size in (("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if count >= size:
            return f"{count / size:.1f} {unit}".replace(".0 ", " ")
    return f"{count} bytes"


def read_regular(file: Path, limit: int, what: str = "file") -> bytes:
    """The bytes of ``file``, refusing anything but a regular file of at most ``limit`` bytes.

    Opened without blocking, so a named pipe (FIFO) is refused rather than
    waited on forever, and checked on the opened file, so nothing is read
    that was swapped in after a check.
    """
    try:
        fd = os.open(file, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        kind = "is a link to a file that does not exist" if os.path.islink(file) else "not found"
        raise ContentError(f"{what} {kind}", file=file, hint="check the path") from None
    except IsADirectoryError:
        raise ContentError(f"{what} is a folder, not a file", file=file, hint="name a file") from None
    except OSError as exc:
        raise ContentError(f"cannot read {what}: {exc.strerror}", file=file) from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        kind = file_kind(info.st_mode)
        if kind:
            raise ContentError(f"{what} is {kind}, not a file", file=file, hint="name a regular file")
        if info.st_size > limit:
            size = size_text(info.st_size) if size_text(info.st_size) != size_text(limit) else f"{info.st_size:,} bytes"
            raise ContentError(f"{what} is {size}; at most {size_text(limit)} is read",
                               file=file, hint="is it the right file? a handout's files are far smaller")
        try:
            data = handle.read(limit + 1)
        except OSError as exc:
            raise ContentError(f"cannot read {what}: {exc.strerror}", file=file) from None
    if len(data) > limit:  # grew while being read
        raise ContentError(f"{what} is larger than {size_text(limit)}", file=file)
    return data


@dataclass(frozen=True)
class Project:
    """A studio folder (or none) layered over the bundled defaults."""

    root: Path | None = None
    bundled: Path = field(default_factory=bundled_root)

    @classmethod
    def discover(cls, explicit: Path | None = None, cwd: Path | None = None) -> "Project":
        """Use ``--project DIR`` if given, else look upwards from the current folder."""
        if explicit is not None:
            if not explicit.is_dir():
                what = "is not a folder" if os.path.lexists(explicit) else "does not exist"
                raise ContentError(f"the studio folder {explicit} {what}",
                                   hint="check the path, or run `handouts init DIR` to make a studio folder")
            if not os.path.lexists(explicit / STUDIO_FILE):
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
        """The first layer's file at ``parts``, or None where no layer has one.

        A layer's entry that is not a regular file inside that layer (a link
        leading out of the folder or to nothing, a folder, a FIFO) is an
        error naming it, never skipped for the bundled file of that name.
        """
        for layer in self.layers:
            candidate = layer.joinpath(*parts)
            if not os.path.lexists(candidate):  # also False for a name too long to exist
                continue
            reason = unusable(candidate, layer)
            if reason:
                linked = reason.startswith(("leads outside", "is a link"))
                raise ContentError(reason, file=candidate,
                                   hint="put the file itself in the folder, not a link to one elsewhere" if linked
                                   else "remove it, or put a regular file of that name there")
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
            reason = unusable(path)
            if reason:
                raise ContentError(f"content file {reason}", file=ref, hint="check the path")
            return path
        if not ref.replace("-", "").isalnum() or ref != ref.lower():
            raise ContentError(
                f"'{ref}' is not a content id",
                hint="use lower-case letters, digits and hyphens, or a path to a .yaml file",
            )
        found = self.find("content", f"{ref}.{self.content_language(ref, lang)}.yaml")
        if found is None:
            available = ", ".join(self.content_ids()) or "none"
            raise ContentError(
                f"no content '{ref}' in language '{lang}'",
                hint=f"available: {available}",
            )
        return found

    def content_language(self, ref: str, lang: str) -> str:
        """The language of content ``ref`` nearest ``lang`` (Mexican Spanish, 'es-MX', reads the Spanish, 'es');
        ``lang`` itself when the content is in it, or in nothing near it."""
        available = [name.split(".", 1)[1] for name in self.content_ids() if name.split(".", 1)[0] == ref]
        if lang in available or not available:
            return lang
        import langcodes

        try:
            return langcodes.closest_supported_match(lang, available, max_distance=10) or lang
        except (LookupError, ValueError):
            return lang


def safe_output_path(out_dir: Path, name: str) -> Path:
    """``out_dir/name``, refusing anything that would land outside ``out_dir``."""
    if not name or name in {".", ".."} or "/" in name or "\\" in name or "\0" in name:
        raise OutputError(f"unsafe output file name {name!r}")
    target = out_dir / name
    if not is_inside(target, out_dir):
        raise OutputError(f"output file {name!r} would be written outside {out_dir}")
    return target
