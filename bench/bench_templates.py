"""Time every built-in layout and show how full its fixed panels are.

Run: python bench/bench_templates.py [--runs N]

For each template and paper: the fastest of N warm renders of the English
content (fonts parsed, templates compiled; personalised where the layout has a
personal box; the fastest, as the figure least disturbed by other jobs on a
shared machine), the page count, and the tightest fixed panel: the panel end
with the least room left below it, over both languages (a picture column, sized to
fill its panel, left out).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

from handouts.build import prepare, render_pdf
from handouts.content.models import Personal
from handouts.layout.templating import template_names
from handouts.project import Project

ROOT = Path(__file__).resolve().parent.parent
PERSONAL = Personal(client="Ana García", note="Rest 10 minutes", date=dt.date(2026, 12, 1))


def measure(project: Project, template: str, paper: str, runs: int) -> tuple[float, dict, str]:
    """Fastest warm render (en), pages per language, and the tightest panel end over both languages."""
    pages, ends = {}, []
    for lang in ("en", "es"):
        job = prepare(project, template=template, paper=paper, lang=lang)
        personal = PERSONAL if job.template.info.personal_box else None
        rendered = render_pdf(job, personal)
        pages[lang] = rendered.pages
        # a cue card's picture column is sized to fill its panel: its room left says nothing
        ends += [(mark, lang) for mark in rendered.marks if not mark.label and not mark.panel.endswith("pictures")]
    job = prepare(project, template=template, paper=paper, lang="en")
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        render_pdf(job, PERSONAL if job.template.info.personal_box else None)
        times.append(time.perf_counter() - start)
    fixed = job.template.info.fixed_pages
    mark, lang = min(ends, key=lambda pair: pair[0].free) if fixed and ends else (None, "")
    room = f"{mark.free:.0f} pt in '{mark.panel}' ({lang})" if mark else "-"
    return min(times), pages, room


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    runs = parser.parse_args().runs
    print(f"# python bench/bench_templates.py --runs {runs}   ({os.cpu_count()} cores, Python {sys.version.split()[0]})")
    print(f"{'template':<12} {'paper':<7} {'warm render':>11}  {'pages en/es':<11}  tightest fixed panel")
    project = Project(root=ROOT)
    for template in template_names(project):
        for paper in ("letter", "a4"):
            seconds, pages, room = measure(project, template, paper, runs)
            print(f"{template:<12} {paper:<7} {seconds * 1000:8.0f} ms  {pages['en']}/{pages['es']:<9}  {room}")


if __name__ == "__main__":
    main()
