"""A studio's look from studio.yaml: its logo, QR codes, and colours people can read.

Colours are checked with WCAG's relative luminance, which is also what
survives a grey photocopy: a text colour needs 4.5:1 against white paper, and
the sidebar fill must leave dark text (and primary-coloured headings) at
4.5:1 too. A colour that falls short is a warning with a readable colour of
the same hue as the hint; the build goes on.

The logo is checked before anything renders, so a missing or broken file is
an error at the ``logo`` line of studio.yaml, never a half-built PDF. QR
codes are drawn once per process (ReportLab's widget costs about 12 ms a
document) and the same drawing is handed to every document that prints them.
"""

from __future__ import annotations

import colorsys
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from handouts import limits
from handouts.content.links import web_address_problem
from handouts.content.load import outside
from handouts.content.models import Colors, Studio
from handouts.content.yamlload import load_yaml
from handouts.errors import ContentError, Problem
from handouts.layout import fonts
from handouts.layout.art import picture_size
from handouts.project import unusable
from handouts.terminal import shown

WHITE = "#FFFFFF"
#: The body text colour of every template (``paraStyle name="body"``).
BODY_TEXT = "#1A1A1A"
#: WCAG 2 AA for normal-size text.
TEXT_RATIO = 4.5
LOGO_TYPES = {".svg", ".png", ".jpg", ".jpeg"}


def _rgb(color: str) -> tuple[int, int, int]:
    return tuple(int(color[i:i + 2], 16) for i in (1, 3, 5))


def luminance(color: str) -> float:
    """WCAG relative luminance of ``#RRGGBB`` (0 black to 1 white)."""
    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = _rgb(color)
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)


def contrast(first: str, second: str) -> float:
    """WCAG contrast ratio of two colours, 1 to 21."""
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _hls(color: str) -> tuple[float, float, float]:
    return colorsys.rgb_to_hls(*(channel / 255 for channel in _rgb(color)))


def _with_lightness(color: str, lightness: float) -> str:
    hue, _, saturation = _hls(color)
    return "#" + "".join(f"{round(v * 255):02X}" for v in colorsys.hls_to_rgb(hue, lightness, saturation))


def parse_color(text: str) -> str:
    """``#1f4e5f``, ``1F4E5F`` -> ``#1F4E5F``; anything else is a ValueError."""
    digits = text.strip().removeprefix("#")
    if not re.fullmatch(r"[0-9A-Fa-f]{6}", digits):
        raise ValueError(f"{text!r} is not a colour; use six hex digits such as #1F4E5F")
    return f"#{digits.upper()}"


def tint(color: str, strength: float = 0.1) -> str:
    """``color`` mixed into white at ``strength``: a light fill of the same hue."""
    return "#" + "".join(f"{round(255 - (255 - c) * strength):02X}" for c in _rgb(color))


def readable_shade(color: str, against: str, *, lighter: bool = False) -> str:
    """The same hue, made darker (or lighter) just enough to reach 4.5:1 against ``against``."""
    lightness = _hls(color)[1]
    step = 0.01 if lighter else -0.01
    while 0 <= lightness <= 1:
        candidate = _with_lightness(color, lightness)
        if contrast(candidate, against) >= TEXT_RATIO:
            return candidate
        lightness += step
    return WHITE if lighter else "#000000"


def colour_problems(studio: Studio, studio_file: Path) -> list[Problem]:
    """Warnings for colours that are too pale for text, or a sidebar too dark to read on."""
    colors, found = studio.colors, []
    printed = printed_colors(colors)
    for field in ("primary", "accent"):
        value, shade = getattr(colors, field), getattr(printed, field)
        if shade != value:
            found.append((f"colors.{field}", f"{value} is too pale to read or to photocopy ({contrast(value, WHITE):.1f}:1 "
                          f"against white; text needs 4.5:1): it prints as {shade}, the same hue darker",
                          f"set colors.{field} to a darker colour of your choice, e.g. {shade}"))
    if printed.sidebar != colors.sidebar:
        found.append(("colors.sidebar", f"{colors.sidebar} is too dark for the text on it "
                      f"({contrast(BODY_TEXT, colors.sidebar):.1f}:1 for body text; it needs 4.5:1): "
                      f"it prints as {printed.sidebar}",
                      f"set colors.sidebar to a lighter fill of your choice, e.g. {printed.sidebar}"))
    return [_at(studio_file, field, message, hint, "warning") for field, message, hint in found]


def _at(studio_file: Path, field: str, message: str, hint: str | None, severity: str = "error") -> Problem:
    """A problem placed at ``field``'s line in studio.yaml (read again only when there is one)."""
    line, column = load_yaml(studio_file).locate(tuple(field.split(".")))
    return Problem(message, studio_file, line, column, field, hint, severity)


@dataclass(frozen=True)
class Logo:
    """A studio's logo, checked readable; ``aspect`` is width / height."""

    file: Path
    aspect: float


def load_logo(studio: Studio, studio_file: Path) -> Logo | None:
    """The logo named in studio.yaml (relative to it), or an error at its ``logo`` line."""
    if not studio.logo:
        return None
    written = shown(studio.logo, 80)  # as the studio wrote it (never a link's target), safe to print
    path = studio_file.parent / studio.logo

    def error(message: str, hint: str | None) -> ContentError:
        problem = _at(studio_file, "logo", message, hint)
        return ContentError.collected([problem])

    reason = unusable(path, studio_file.parent)
    if outside(studio.logo) or (reason or "").startswith("leads outside"):
        link = "" if outside(studio.logo) else " (it is a link to a file elsewhere)"
        raise error(f"logo path '{written}' leaves the studio folder{link}",
                    "keep the logo itself in the studio folder, e.g. logo: images/logo.svg")
    if path.suffix.lower() not in LOGO_TYPES:
        raise error(f"logo must be an SVG, PNG or JPEG file, not {written}", "export the logo as .svg or .png")
    if reason == "not found":
        raise error(f"logo file not found: {written}", "the path is relative to studio.yaml")
    if reason:
        raise error(f"logo {written} {reason}", "name a picture file (SVG, PNG or JPEG)")
    file = path.resolve()
    try:
        width, height = picture_size(file)
    except ContentError as exc:
        raise error(f"cannot read logo {written}: {exc.problems[0].message}",
                    exc.problems[0].hint or "open the file in an image editor and save it again") from None
    if width <= 0 or height <= 0:
        raise error(f"logo {studio.logo} has no size", "give the SVG a width and height or a viewBox")
    return Logo(file, width / height)


def address_lines(url: str, width: float, size: float) -> list[str]:
    """A web address without its scheme, as lines at most ``width`` wide at ``size`` points.

    Lines break only before a slash, so no word is cut; a piece wider than
    ``width`` keeps a line of its own (``width`` 0: every piece on its own).
    """
    text = url.split("://", 1)[-1].rstrip("/")
    host, _, path = text.partition("/")
    pieces = [host] + [f"/{piece}" for piece in path.split("/") if piece]
    lines: list[str] = []
    for piece in pieces:
        if lines and fonts.text_width(lines[-1] + piece, size) <= width:
            lines[-1] += piece
        else:
            lines.append(piece)
    return lines


def phone_link(phone: str) -> str:
    """A phone number as a ``tel:`` link wants it: + and digits only."""
    return "".join(char for char in phone if char.isdigit() or char == "+")


def printed_colors(colors: Colors) -> Colors:
    """The studio's colours as printed: a text colour too pale to read becomes the readable shade of its hue.

    The sidebar fill, likewise, becomes light enough for dark text on it.
    """
    changed = {}
    # The fill must leave body text, and headings in a primary colour that reads on white, at 4.5:1.
    inks = [BODY_TEXT] + ([colors.primary] if contrast(colors.primary, WHITE) >= TEXT_RATIO else [])
    sidebar = colors.sidebar
    for ink in inks:
        if contrast(ink, sidebar) < TEXT_RATIO:
            sidebar = readable_shade(sidebar, ink, lighter=True)
    if sidebar != colors.sidebar:
        changed["sidebar"] = sidebar
    # Headings in the primary colour print on the fill too, which is never lighter than white.
    for field, paper in (("primary", sidebar), ("accent", WHITE)):
        if contrast(getattr(colors, field), paper) < TEXT_RATIO:
            changed[field] = readable_shade(getattr(colors, field), paper)
    return colors.model_copy(update=changed) if changed else colors


@lru_cache(maxsize=8)
def qr_drawing(url: str, size: float):
    """A QR code for ``url``, ``size`` points square, drawn once.

    Its border is one module: the white of the cell around it completes the
    quiet zone a scanner needs, so the code itself can be larger.
    """
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing, Path

    problem = web_address_problem(url, limits.MAX_QR_CHARS)
    if problem:  # studio.yaml's own check says it first, at its line; this stops any other caller
        raise ContentError(f"a QR code: {problem[0]}", hint=problem[1])
    widget = QrCodeWidget(url, barLevel="M", barBorder=1, barWidth=size, barHeight=size)
    # The widget is a square per dark module (hundreds of drawing operations
    # in every PDF); one path holding them all draws the same code in one.
    modules = Path(fillColor=widget.barFillColor, strokeColor=None, strokeWidth=0)
    for square in widget.draw().contents:
        if square.fillColor is None:
            continue  # the background
        x, y, w, h = square.x, square.y, square.width, square.height
        modules.moveTo(x, y)
        modules.lineTo(x + w, y)
        modules.lineTo(x + w, y + h)
        modules.lineTo(x, y + h)
        modules.closePath()
    drawing = Drawing(size, size, modules)
    # The renderer's initial state would otherwise select base-14 Helvetica.
    drawing.initialFontName = fonts.STYLES["regular"]
    return drawing


def qr(params: str):
    """``<plugInFlowable module="handouts.layout.branding" function="qr">{"url": ..., "size": ...}``.

    Returns the cached drawing itself: a Drawing keeps no state between
    documents, and copying its few hundred squares would cost what caching saves.
    """
    spec = json.loads(params)
    return qr_drawing(spec["url"], float(spec["size"]))
