"""Pictures in a handout: SVG kept as vectors, PNG and JPEG as images.

z3c.rml's own ``<image>`` rasterises SVG at 300 dpi; a ``<plugInFlowable>``
calling :func:`flowable` keeps the drawing vector (sharp at any size, small
files) and sets any text in it in the handout's embedded font, never in a
base-14 font that would not be embedded.
"""

from __future__ import annotations

import json
import logging
import math
import warnings
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from handouts import fonts, limits
from handouts.errors import ContentError
from handouts.project import file_kind, size_text
from handouts.terminal import shown

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
        raise ContentError(f"cannot read SVG: {shown(' '.join(str(exc).split()), 200)}", file=file,
                           hint="open it in a browser or a drawing program and save it again as SVG") from None
    if drawing is None:
        raise ContentError("cannot read SVG (empty or not an SVG file)", file=file,
                           hint="open it in a browser or a drawing program and save it again as SVG")
    width, height = drawing.width, drawing.height
    if not all(isinstance(side, (int, float)) and math.isfinite(side) and 0 <= side <= limits.MAX_SVG_POINTS
               for side in (width, height)):
        raise ContentError(f"the SVG says it is {_side(width)} x {_side(height)} points; a picture may be at most "
                           f"{limits.MAX_SVG_POINTS} points (200 inches) a side", file=file,
                           hint="set width and height on its <svg> element to its real size, e.g. "
                                'width="400" height="300", or give it a viewBox')
    # The renderer's initial state would otherwise select base-14 Helvetica.
    drawing.initialFontName = fonts.STYLES["regular"]
    return drawing


def _side(value) -> str:
    return f"{value:g}" if isinstance(value, (int, float)) else "no number"


@lru_cache(maxsize=16)
def _raster_size(file: Path, mtime: float) -> tuple[int, int]:
    """Decode a PNG or JPEG once, so a truncated or corrupt file is named here, not deep in ReportLab.

    Its size is read from the header first: a picture of more than
    ``limits.MAX_IMAGE_PIXELS`` is refused before a byte of it is decoded
    (Pillow's own warning about it never reaches the terminal).
    """
    from PIL import Image, UnidentifiedImageError

    too_large = ContentError(
        f"the picture has more than {limits.MAX_IMAGE_PIXELS // 10**6} million pixels, the most a handout takes",
        file=file, hint="save it smaller: 3000 pixels across prints sharp at any size a handout uses")
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(file) as image:
                width, height = image.size
                if width * height > limits.MAX_IMAGE_PIXELS:
                    raise too_large
                image.load()
                return image.size
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise too_large from None
        except (OSError, UnidentifiedImageError, SyntaxError, ValueError, EOFError) as exc:
            raise ContentError(f"cannot read image: {shown(exc, 200)}", file=file,
                               hint="open it in an image editor and save it again as PNG or JPEG") from None


def picture_size(file: Path) -> tuple[float, float]:
    """Width and height of an SVG (points) or a raster image (pixels); unreadable -> ContentError."""
    try:
        info = file.stat()
    except OSError as exc:
        raise ContentError(f"image not found: {exc.strerror}", file=file) from None
    kind = file_kind(info.st_mode)
    if kind:
        raise ContentError(f"the picture is {kind}, not a file", file=file, hint="name a picture file")
    raster = file.suffix.lower() in RASTER
    limit = limits.MAX_IMAGE_BYTES if raster else limits.MAX_SVG_BYTES
    if info.st_size > limit:
        raise ContentError(f"the picture file is {size_text(info.st_size)}; at most {size_text(limit)}", file=file,
                           hint="save it smaller (or, for an SVG, simpler)")
    if raster:
        return _raster_size(file, info.st_mtime)
    drawing = _drawing(file, info.st_mtime)
    return drawing.width, drawing.height


def svg_texts(file: Path) -> Iterator[str]:
    """Every text an SVG picture prints (set in the body font: see ``_font_map``); none for other pictures."""
    from reportlab.graphics.shapes import Group, String

    if file.suffix.lower() in RASTER:
        return
    try:
        picture_size(file)  # a FIFO, a folder or an oversized file is refused before it is read
        drawing = _drawing(file, file.stat().st_mtime)
    except (ContentError, OSError):
        return  # reported where the picture is checked
    stack = list(drawing.contents)
    while stack:
        shape = stack.pop()
        if isinstance(shape, String):
            yield shape.text
        elif isinstance(shape, Group):
            stack.extend(shape.contents)


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
