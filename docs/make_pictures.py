"""Render the README's pictures from the real output: python docs/make_pictures.py"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from handouts.build import prepare, render_pdf
from handouts.models import Personal
from handouts.preview import write_pngs
from handouts.project import Project
from handouts.templating import template_names

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "docs" / "images"


def main() -> None:
    project = Project(root=ROOT)
    personal = Personal(client="Zoë Łukasz", note="A folded towel under your head", date=dt.date(2026, 12, 1))
    for name in template_names(project):
        job = prepare(project, template=name)
        pdf = render_pdf(job, personal if job.template.info.personal_box else None).pdf
        for path in write_pngs(pdf, IMAGES, name, scale=1.0 if name == "classic" else 0.6, pages=1):
            final = path.with_name(f"{name}-page1.png")
            path.replace(final)
            print(final.relative_to(ROOT))


if __name__ == "__main__":
    main()
