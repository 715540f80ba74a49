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

from reportlab.platypus.flowables import Flowable

from handouts import limits
from handouts.errors import ContentError
from handouts.layout import fonts
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


def label_width(file: Path, floor: float) -> float:
    """The least width at which the words inside an SVG print at ``floor`` points (0: it has none)."""
    if file.suffix.lower() in RASTER or not floor:
        return 0.0
    drawing = _drawing(file, file.stat().st_mtime)
    sizes = [node.fontSize for node in _strings(drawing)]
    return drawing.width * floor / min(sizes) if sizes else 0.0


def _strings(drawing) -> Iterator:
    """Every text node of a drawing (svglib makes a String per <text>)."""
    from reportlab.graphics.shapes import Group, String

    stack = list(drawing.contents)
    while stack:
        shape = stack.pop()
        if isinstance(shape, String):
            yield shape
        elif isinstance(shape, Group):
            stack.extend(shape.contents)


def svg_texts(file: Path) -> Iterator[str]:
    """Every text an SVG picture prints (set in the body font: see ``_font_map``); none for other pictures."""
    if file.suffix.lower() in RASTER:
        return
    try:
        picture_size(file)  # a FIFO, a folder or an oversized file is refused before it is read
        drawing = _drawing(file, file.stat().st_mtime)
    except (ContentError, OSError):
        return  # reported where the picture is checked
    yield from (shape.text for shape in _strings(drawing))


def flowable(params: str):
    """A flowable for ``{"file": ..., "width": ..., "height": ..., "field": ..., "floor": ...}`` (JSON).

    The picture is scaled to ``width``, or to fit ``width`` x ``height`` when a
    height is given (a logo in its box); raster images are never enlarged.
    With ``floor``, words inside an SVG print at ``floor`` points or more: the
    picture is widened for them, up to ``room`` (the column), and a picture
    whose words cannot reach it there is an error. A picture that cannot be
    read is a ContentError naming the file and field. With ``keep`` it keeps
    with the next flowable (a section's picture with its steps).
    """
    spec = json.loads(params)
    file, width = Path(spec["file"]), float(spec["width"])
    try:
        needed = label_width(file, float(spec.get("floor") or 0))
        if needed > float(spec.get("room") or needed) + 0.5:
            raise ContentError(
                f"the words in this picture would print smaller than {spec['floor']:g} pt, even across the column",
                file=file, hint="make the words in the SVG larger, or leave them out and say it in the caption")
        picture = _picture(file, max(width, needed), float(spec.get("height") or 0))
        picture.keepWithNext = bool(spec.get("keep"))  # a section's picture moves with its steps
        return picture
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


class PictureStack(Flowable):
    """Pictures one above another, each with its caption, as large as the room left allows.

    A fixed layout's panel ends with its pictures: the stack takes the height
    that is left, scaling every picture alike, from the column's full width
    down to ``least`` of it (or the width at which words inside a picture
    print at the caption's size), so a picture is large where there is room.
    Narrower than that it does not fit, which is the fitting step's cue
    (fit.Overflow) to set the text tighter.
    """

    def __init__(self, pictures: list[Path], captions: list, least: float, gap: float, item: str, floor: float):
        super().__init__()
        self.pictures, self.captions, self.least, self.gap, self.item = pictures, captions, least, gap, item
        self.floor = floor  # words inside a picture print at this size or more
        self._drawn: list = []

    def wrap(self, available_width, available_height):
        from handouts.layout.fit import Overflow

        texts = sum(caption.wrap(available_width, available_height)[1] for caption in self.captions if caption)
        fixed = texts + self.gap * len(self.pictures)
        aspects = sum(height / width for width, height in map(picture_size, self.pictures))
        width = min(available_width, max(0.0, available_height - fixed) / aspects)
        for file in self.pictures:
            if label_width(file, self.floor) > available_width + 0.5:
                raise ContentError(f"the words in this picture would print smaller than {self.floor:g} pt, even "
                                   "across its column", file=file, field=self.item,
                                   hint="make the words in the SVG larger, or leave them out and say it in the caption")
        least = max([self.least * available_width] + [label_width(file, self.floor) for file in self.pictures])
        if width < least:
            need = fixed + least * aspects
            frame = getattr(getattr(self.canv, "_doctemplate", None), "frame", None)
            # Measured against the whole panel, as a text overflow is: the share the panel's text must give up.
            panel = getattr(frame, "_aH", available_height)
            raise Overflow(f"panel '{getattr(frame, 'id', '?')}': the pictures need {need - available_height:.0f} pt "
                           "more", item=self.item, used=panel - available_height + need, room=panel)
        self._drawn = [_picture(file, width, 0) for file in self.pictures]
        self.width = available_width
        self.height = fixed + sum(drawing.height for drawing in self._drawn)
        return self.width, self.height

    def draw(self):
        y = self.height
        for drawing, caption in zip(self._drawn, self.captions):
            y -= drawing.height
            drawing.drawOn(self.canv, (self.width - drawing.width) / 2, y)
            if caption:
                y -= caption.height
                caption.drawOn(self.canv, 0, y)
            y -= self.gap


def stack(params: str):
    """``<plugInFlowable module="handouts.layout.art" function="stack">`` with JSON params.

    ``{"pictures": [{"file": ..., "caption": RML markup or ""}], "size": caption
    points, "floor": the least size of words inside a picture, "least": smallest
    share of the column, "gap": points, "item": the content path to name when
    they do not fit}``.
    """
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

    spec = json.loads(params)
    size = float(spec["size"])
    style = ParagraphStyle("stackCaption", fontName=fonts.STYLES["regular"], fontSize=size, leading=size * 1.3,
                           textColor="#333333", alignment=1)
    files = [Path(item["file"]) for item in spec["pictures"]]
    captions = [Paragraph(item["caption"], style) if item.get("caption") else None for item in spec["pictures"]]
    return PictureStack(files, captions, float(spec.get("least", 0.4)), float(spec.get("gap", 6)),
                        spec.get("item", "illustration"), float(spec.get("floor", size)))
