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


@lru_cache(maxsize=1)
def _font_map():
    """A svglib font map that draws every SVG font family in the handout's own.

    It also spares svglib's search of the system for a family it does not know
    (about 140 ms on first use).
    """
    from svglib.fonts import FontMap

    class EmbeddedFamily(FontMap):
        def find_font(self, font_name, weight="normal", style="normal"):
            bold = str(weight).lower() in {"bold", "bolder", "600", "700", "800", "900"}
            italic = str(style).lower() in {"italic", "oblique"}
            style_name = {(False, False): "regular", (True, False): "bold",
                          (False, True): "italic", (True, True): "bold_italic"}[bold, italic]
            return fonts.STYLES[style_name], True

    return EmbeddedFamily()


@lru_cache(maxsize=16)
def _drawing(file: Path, mtime: float):
    from svglib.svglib import svg2rlg

    try:
        drawing = svg2rlg(str(file), font_map=_font_map(), external_reference_root=str(file.parent))
    except Exception as exc:  # svglib raises lxml and value errors alike
        raise ContentError(f"cannot read SVG: {exc}", file=file) from None
    if drawing is None:
        raise ContentError("cannot read SVG (empty or not an SVG file)", file=file)
    # The renderer's initial state would otherwise select base-14 Helvetica.
    drawing.initialFontName = fonts.STYLES["regular"]
    return drawing


def picture_size(file: Path) -> tuple[float, float]:
    """Width and height of an SVG (points) or a raster image (pixels); unreadable -> ContentError."""
    if file.suffix.lower() not in RASTER:
        drawing = _drawing(file, file.stat().st_mtime)
        return drawing.width, drawing.height
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(file) as image:
            image.load()
            return image.size
    except (OSError, UnidentifiedImageError, SyntaxError) as exc:
        raise ContentError(f"cannot read image: {exc}", file=file) from None


def flowable(params: str):
    """A flowable for ``{"file": ..., "width": ..., "height": ..., "field": ...}`` (JSON).

    The picture is scaled to ``width``, or to fit ``width`` x ``height`` when a
    height is given (a logo in its box); raster images are never enlarged.
    """
    from reportlab.graphics.shapes import Drawing, Group
    from reportlab.platypus import Image

    spec = json.loads(params)
    file, width = Path(spec["file"]), float(spec["width"])
    height = float(spec.get("height") or 0)
    if not file.is_file():
        raise ContentError(f"image not found: {file}", field=spec.get("field"))
    if file.suffix.lower() in RASTER:
        try:
            image = Image(str(file))
        except OSError as exc:
            raise ContentError(f"cannot read image: {exc}", file=file, field=spec.get("field")) from None
        scale = min(1.0, _fit(image.imageWidth, image.imageHeight, width, height))
        image.drawWidth, image.drawHeight = image.imageWidth * scale, image.imageHeight * scale
        return image
    art = _drawing(file, file.stat().st_mtime)
    scale = _fit(art.width, art.height, width, height)
    # A new, scaled frame around the cached (never mutated) shapes.
    scaled = Drawing(art.width * scale, art.height * scale, Group(*art.contents, transform=(scale, 0, 0, scale, 0, 0)))
    scaled.initialFontName = art.initialFontName
    return scaled


def _fit(width: float, height: float, box_width: float, box_height: float) -> float:
    """The scale that fits ``width`` (and ``height``, when the box has one) into the box."""
    scale = box_width / width
    return min(scale, box_height / height) if box_height else scale
