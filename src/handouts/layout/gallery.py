"""Every layout side by side: page 1 of each template in one labelled picture, to choose by eye.

Each template is built with the default content on the studio's paper (or
the first paper it prints on), its first page drawn at the same height as
the others, its name and title set beneath in the bundled typeface.
"""

from __future__ import annotations

import io
from pathlib import Path

from handouts.build import DEFAULT_CONTENT, prepare, render_pdf
from handouts.content.load import load_studio
from handouts.layout.preview import page_pngs
from handouts.layout.templating import find_template, template_names
from handouts.project import Project

NAME = "templates-gallery.png"
HEIGHT = 520      # pixels of each page
GAP = 32          # between pages and around the edge
LABEL = 64        # room under each page for its name and title
NAME_SIZE, TITLE_SIZE = 22, 17


def first_page(project: Project, name: str, *, content: str = DEFAULT_CONTENT, lang: str | None = None,
               paper: str | None = None, height: int = HEIGHT):
    """Page 1 of layout ``name`` as a PIL image ``height`` pixels tall, and the template.

    On ``paper`` (default: the studio's) when the layout prints on it, else
    on the first paper it does; the picture of a gallery or of the front
    desk's layout picker.
    """
    from PIL import Image

    template = find_template(project, name)
    papers = template.info.papers
    paper = paper or load_studio(project.studio_file()).paper
    job = prepare(project, content, template=name, lang=lang, paper=paper if paper in papers else papers[0])
    page = Image.open(io.BytesIO(page_pngs(render_pdf(job).pdf, scale=2.0, pages=1, optimize=False)[0]))
    page = page.convert("RGB")
    return page.resize((round(page.width * height / page.height), height), Image.LANCZOS), template


def gallery_png(project: Project) -> tuple[bytes, list[str]]:
    """The gallery as PNG bytes, and the template names in it (in order)."""
    from PIL import Image, ImageDraw

    pages, names = [], template_names(project)
    for name in names:
        page, template = first_page(project, name)
        pages.append((name, template.info.title, page))
    width = GAP + sum(page.width + GAP for _, _, page in pages)
    sheet = Image.new("RGB", (width, GAP + HEIGHT + LABEL + GAP), "#F2F2F2")
    draw = ImageDraw.Draw(sheet)
    bold, regular = _font("bold", NAME_SIZE), _font("regular", TITLE_SIZE)
    x = GAP
    for name, title, page in pages:
        draw.rectangle((x - 1, GAP - 1, x + page.width, GAP + HEIGHT), outline="#9A9A9A")
        sheet.paste(page, (x, GAP))
        draw.text((x, GAP + HEIGHT + 12), name, font=bold, fill="#111111")
        draw.text((x, GAP + HEIGHT + 12 + NAME_SIZE + 6), _fit(draw, title, regular, page.width), font=regular,
                  fill="#444444")
        x += page.width + GAP
    buffer = io.BytesIO()
    sheet.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue(), names


def _font(style: str, size: int):
    from PIL import ImageFont

    from handouts.layout.fonts import default_fonts

    return ImageFont.truetype(str(getattr(default_fonts(), style)), size)


def _fit(draw, text: str, font, width: int) -> str:
    """``text`` cut with an ellipsis to fit ``width`` pixels."""
    if draw.textlength(text, font=font) <= width:
        return text
    while text and draw.textlength(text + "…", font=font) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def write_gallery(project: Project, out_dir: Path) -> tuple[Path, list[str]]:
    """Write the gallery into ``out_dir``; return its path and the templates it shows."""
    from handouts.output import write_atomic

    png, names = gallery_png(project)
    return write_atomic(out_dir, NAME, png), names
