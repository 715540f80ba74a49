"""Render the README's pictures from the real output: python docs/make_pictures.py

``classic-page1.png`` is page 1 of the default handout at full size; each
``template-<name>.png`` shows the first two pages of a layout side by side,
personalised where the layout has a personal box, at the same height;
``templates-gallery.png`` is what ``handouts templates --gallery`` writes.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from PIL import Image, ImageOps

from handouts.build import prepare, render_pdf
from handouts.content.models import Personal
from handouts.layout.gallery import write_gallery
from handouts.layout.preview import page_pngs
from handouts.layout.templating import template_names
from handouts.output import write_atomic
from handouts.project import Project

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "docs" / "images"
THUMBNAIL_HEIGHT = 340  # pixels per page
GAP = 12


def side_by_side(pngs: list[bytes]) -> bytes:
    """Pages in a row, each with a thin grey edge so white paper shows on a white page."""
    pages = [ImageOps.expand(Image.open(io.BytesIO(png)).convert("RGB"), border=1, fill="#9A9A9A") for png in pngs]
    sheet = Image.new("RGB", (sum(p.width for p in pages) + GAP * (len(pages) - 1), max(p.height for p in pages)), "white")
    x = 0
    for page in pages:
        sheet.paste(page, (x, 0))
        x += page.width + GAP
    buffer = io.BytesIO()
    sheet.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def main() -> None:
    project = Project(root=ROOT)
    personal = Personal(client="Zoë Łukasz", note="A folded towel under your head", class_name="Tuesday 6 pm Mat",
                        date=dt.date(2026, 12, 1))
    for name in template_names(project):
        job = prepare(project, template=name)
        pdf = render_pdf(job, personal if job.template.info.personal_box else None).pdf
        if name == "classic":
            print(write_atomic(IMAGES, "classic-page1.png", page_pngs(pdf, scale=1.0, pages=1)[0]).relative_to(ROOT))
        scale = THUMBNAIL_HEIGHT / job.template.page_size(job.paper)[1]
        path = write_atomic(IMAGES, f"template-{name}.png", side_by_side(page_pngs(pdf, scale=scale, pages=2)))
        print(path.relative_to(ROOT))
    print(write_gallery(project, IMAGES)[0].relative_to(ROOT))


if __name__ == "__main__":
    main()
