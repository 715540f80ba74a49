"""Pictures in a handout: SVG kept as vectors, PNG and JPEG as images.

z3c.rml's own ``<image>`` rasterises SVG at 300 dpi; a ``<plugInFlowable>``
calling :func:`flowable` keeps the drawing vector (sharp at any size, small
files) and sets any text in it in the handout's embedded font, never in a
base-14 font that would not be embedded.
"""

from __future__ import annotations

import json
import logging
from functools import lru_cache
from pathlib import Path

from handouts import fonts
from handouts.errors import ContentError

RASTER = {".png", ".jpg", ".jpeg"}

# svglib logs what it cannot read; the ContentError below says it once, in our words.
logging.getLogger("svglib").addHandler(logging.NullHandler())


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
        raise ContentError("cannot read SVG (empty or not an SVG file)", file=file,
                           hint="open it in a browser or a drawing program and save it again as SVG")
    # The renderer's initial state would otherwise select base-14 Helvetica.
    drawing.initialFontName = fonts.STYLES["regular"]
    return drawing


@lru_cache(maxsize=16)
def _raster_size(file: Path, mtime: float) -> tuple[int, int]:
    """Decode a PNG or JPEG once, so a truncated or corrupt file is named here, not deep in ReportLab."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(file) as image:
            image.load()
            return image.size
    except (OSError, UnidentifiedImageError, SyntaxError, ValueError) as exc:
        raise ContentError(f"cannot read image: {exc}", file=file,
                           hint="open it in an image editor and save it again as PNG or JPEG") from None


def picture_size(file: Path) -> tuple[float, float]:
    """Width and height of an SVG (points) or a raster image (pixels); unreadable -> ContentError."""
    try:
        mtime = file.stat().st_mtime
    except OSError as exc:
        raise ContentError(f"image not found: {exc.strerror}", file=file) from None
    if file.suffix.lower() in RASTER:
        return _raster_size(file, mtime)
    drawing = _drawing(file, mtime)
    return drawing.width, drawing.height


def flowable(params: str):
    """A flowable for ``{"file": ..., "width": ..., "height": ..., "field": ...}`` (JSON).

    The picture is scaled to ``width``, or to fit ``width`` x ``height`` when a
    height is given (a logo in its box); raster images are never enlarged. A
    picture that cannot be read is a ContentError naming the file and field.
    """
    spec = json.loads(params)
    try:
        return _picture(Path(spec["file"]), float(spec["width"]), float(spec.get("height") or 0))
    except ContentError as error:
        for problem in error.problems:
            problem.field = problem.field or spec.get("field")
        raise


def _picture(file: Path, width: float, height: float):
    from reportlab.graphics.shapes import Drawing, Group
    from reportlab.platypus import Image

    image_w, image_h = picture_size(file)
    if not (image_w > 0 and image_h > 0):
        raise ContentError("the picture has no size", file=file,
                           hint="give the SVG's <svg> element a width and height, or a viewBox")
    if file.suffix.lower() in RASTER:
        scale = min(1.0, _fit(image_w, image_h, width, height))
        return Image(str(file), width=image_w * scale, height=image_h * scale)
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
