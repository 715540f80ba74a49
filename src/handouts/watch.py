"""``handouts watch``: rebuild a handout on every save, with a picture of page 1.

One process builds again and again, so fonts stay parsed and templates stay
compiled (Jinja reloads a template whose file changed); each rebuild costs a
warm render. Changes are read with watchfiles from the studio folder (or, with
none, the bundled content and templates) and from the content file's folder;
the output folder is ignored, or every rebuild would trigger the next. A
failed rebuild is reported and the watch goes on: the next save may fix it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from handouts.build import DEFAULT_LANG, build_handout
from handouts.errors import HandoutError, Problem
from handouts.layout.preview import page_pngs
from handouts.output import write_atomic
from handouts.project import Project, is_inside

#: Files whose change can change the handout.
SOURCES = {".yaml", ".yml", ".j2", ".svg", ".png", ".jpg", ".jpeg", ".ttf"}


@dataclass(frozen=True)
class Rebuild:
    """One rebuild: what it wrote, or the problems that stopped it."""

    seconds: float
    pdf: Path | None = None
    png: Path | None = None
    pages: int = 0
    problems: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class Target:
    """What to rebuild, and where to write it."""

    project: Project
    content: str
    template: str | None = None
    lang: str | None = None
    out_dir: Path | None = None

    @property
    def out(self) -> Path:
        return self.out_dir or self.project.default_out_dir()


def rebuild(target: Target) -> Rebuild:
    """Build the PDF and a PNG of its first page; a HandoutError becomes the result's problems."""
    start = time.perf_counter()
    try:
        built = build_handout(target.content, template=target.template, lang=target.lang,
                              out_dir=target.out, project=target.project)
        [picture] = page_pngs(built.path.read_bytes(), scale=1.5, pages=1, optimize=False)
        png = write_atomic(target.out, built.path.with_suffix(".png").name, picture)
    except HandoutError as error:
        return Rebuild(time.perf_counter() - start, problems=tuple(error.problems))
    return Rebuild(time.perf_counter() - start, built.path, png, built.pages, warnings=built.warnings)


def watched_paths(target: Target) -> list[Path]:
    """The folders (and files) whose changes trigger a rebuild, none inside another."""
    project = target.project
    content_file = project.resolve_content(target.content, target.lang or DEFAULT_LANG)
    if project.root:
        candidates = [project.root]
    else:
        candidates = [project.studio_file(), project.bundled / "templates", project.bundled / "content"]
    candidates.append(content_file.resolve().parent)
    resolved = sorted({path.resolve() for path in candidates if path.exists()}, key=lambda p: len(p.parts))
    kept: list[Path] = []
    for path in resolved:
        if not any(is_inside(path, folder) for folder in kept if folder.is_dir()):
            kept.append(path)
    return kept


def _relevant(out_dir: Path):
    """A watchfiles filter: source files only, never what the watch itself writes."""
    from watchfiles import DefaultFilter

    default, out_dir = DefaultFilter(), out_dir.resolve()

    def accept(change, path: str) -> bool:
        file = Path(path)
        return default(change, path) and file.suffix.lower() in SOURCES and not is_inside(file, out_dir)

    return accept


def watch(
    target: Target,
    report: Callable[[Rebuild], None],
    *,
    stop=None,
    max_rebuilds: int | None = None,
    debounce_ms: int = 300,
) -> int:
    """Build now and after every change until ``stop`` is set, Ctrl-C or ``max_rebuilds``.

    ``report`` receives each :class:`Rebuild`; ``stop`` is anything with
    ``is_set()`` (a ``threading.Event``). Returns how many builds ran.
    """
    from watchfiles import watch as changes_of

    paths = watched_paths(target)
    report(rebuild(target))
    count = 1
    if max_rebuilds is not None and count >= max_rebuilds:
        return count
    try:
        for _changes in changes_of(*paths, watch_filter=_relevant(target.out), debounce=debounce_ms, stop_event=stop):
            report(rebuild(target))
            count += 1
            if max_rebuilds is not None and count >= max_rebuilds:
                break
    except KeyboardInterrupt:
        pass  # Ctrl-C is how a watch ends; every write was atomic, so nothing is half-written
    return count
