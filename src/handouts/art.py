"""Pictures in a handout: SVG kept as vectors, PNG and JPEG as images.

z3c.rml's own ``<image>`` rasterises SVG at 300 dpi; a ``<plugInFlowable>``
calling :func:`flowable` keeps the drawing vector (sharp at any size, small
files) and sets any text in it in the handout's embedded font, never in a
base-14 font that would not be embedded.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from handouts import fonts
from handouts.errors import ContentError

RASTER = {".png", ".jpg", ".jpeg"}


@lru_cache(maxsize=16)
def _drawing(file: Path, mtime: float):
    from reportlab.graphics.shapes import Group, String
    from svglib.svglib import svg2rlg

    try:
        drawing = svg2rlg(str(file))
    except Exception as exc:  # svglib raises lxml and value errors alike
        raise ContentError(f"cannot read SVG: {exc}", file=file) from None
    if drawing is None:
        raise ContentError("cannot read SVG (empty or not an SVG file)", file=file)

    def embed_fonts(node):
        for child in getattr(node, "contents", []):
            if isinstance(child, String):
                bold = "bold" in child.fontName.lower()
                child.fontName = fonts.STYLES["bold" if bold else "regular"]
            elif isinstance(child, Group):
                embed_fonts(child)

    embed_fonts(drawing)
    # The renderer's initial state would otherwise select base-14 Helvetica.
    drawing.initialFontName = fonts.STYLES["regular"]
    return drawing


def flowable(params: str):
    """A flowable for ``{"file": ..., "width": ..., "field": ...}`` (JSON)."""
    from reportlab.graphics.shapes import Drawing, Group
    from reportlab.platypus import Image

    spec = json.loads(params)
    file, width = Path(spec["file"]), float(spec["width"])
    if not file.is_file():
        raise ContentError(f"image not found: {file}", field=spec.get("field"))
    if file.suffix.lower() in RASTER:
        try:
            image = Image(str(file))
        except OSError as exc:
            raise ContentError(f"cannot read image: {exc}", file=file, field=spec.get("field")) from None
        scale = min(1.0, width / image.imageWidth)
        image.drawWidth, image.drawHeight = image.imageWidth * scale, image.imageHeight * scale
        return image
    art = _drawing(file, file.stat().st_mtime)
    scale = width / art.width
    # A new, scaled frame around the cached (never mutated) shapes.
    scaled = Drawing(art.width * scale, art.height * scale, Group(*art.contents, transform=(scale, 0, 0, scale, 0, 0)))
    scaled.initialFontName = art.initialFontName
    return scaled
