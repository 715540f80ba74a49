"""``handouts watch``: rebuild on every save."""

from __future__ import annotations

import time
from pathlib import Path

from handouts.cli.common import app, current_project, detail, note, report, report_errors
from handouts.cli.options import ContentArg, LangOpt, OutOpt, TemplateOpt


def _shown(path: Path) -> str:
    """A path relative to the current folder when it lies below it (status lines stay short)."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


@app.command()
def watch(
    content: ContentArg = None,
    template: TemplateOpt = None,
    lang: LangOpt = None,
    out: OutOpt = None,
) -> None:
    """Rebuild on every save of the content, templates or studio.yaml: the PDF and a PNG of page 1."""
    from handouts.build import DEFAULT_CONTENT
    from handouts.watch import Target, watched_paths
    from handouts.watch import watch as run

    target = Target(current_project(), content or DEFAULT_CONTENT, template, lang, out)
    paths = watched_paths(target)
    detail("watching " + ", ".join(_shown(path) for path in paths))
    note("watching for changes; press Ctrl-C to stop")
    opened = False

    def status(result) -> None:
        """One line per rebuild: the time, then what was written and how long it took, or the error."""
        nonlocal opened
        stamp = time.strftime("%H:%M:%S")
        if result.problems:
            report_errors("watch", result.problems, prefix=f"{stamp} ")
            return
        pages = f"{result.pages} page{'s' if result.pages != 1 else ''}"
        line = f"{stamp} built {_shown(result.pdf)} and {result.png.name} ({pages}) in {result.seconds:.2f} s"
        outputs = [{"path": result.pdf, "kind": "pdf", "pages": result.pages},
                   {"path": result.png, "kind": "png", "page": 1}]
        report("watch", outputs, warnings=result.warnings, lines=[line], open_path=None if opened else result.pdf,
               details={"seconds": round(result.seconds, 3)})
        opened = True

    count = run(target, status)
    note(f"stopped after {count} build{'s' if count != 1 else ''}")
