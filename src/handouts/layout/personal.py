"""The personal box: client, date, class and the teacher's note, sized by what it holds.

The box's place comes from the template (``personal_box`` in template.yaml):
its top-right corner and width. What it holds decides the rest. In a layout
that can grow, the box is as tall as its text (at least the template's
``height``, more by whole lines, so that a class's boxes come in a few
heights) and the template moves its own text down to make room; in a
fixed layout (a brochure, a card) the box keeps its height and its text
steps down in size, to a floor. Each item keeps a line of its own, and a
name breaks only where it is wider than the box on its own, never between
a first and a last name that fit together.

One function lays the box out for any canvas: a normal build paints it from
the render's page hook, and a batch paints the very same layout as a stamp
over pages it rendered once for the class.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from handouts.content import markup
from handouts.content.labels import format_date
from handouts.content.markup import TextFilter
from handouts.content.models import Personal
from handouts.errors import LayoutOverflowError
from handouts.layout import fonts

PADDING = 7.0
#: Text sizes (points) at scale 1: the client's name, the note, the date and class lines.
NAME_SIZE, NOTE_SIZE, LINE_SIZE = 13.0, 11.5, 11.0
#: How a fixed box's text steps down before the box refuses its content, smallest last.
STEPS = (1.0, 0.94, 0.88, 0.82)
#: A growing box grows by whole lines of the note (points at scale 1): clients whose text
#: needs as many lines share one height, and so the pages a batch renders once for them.
GROWTH = NOTE_SIZE * 1.25
NBSP = "\u00a0"


@dataclass(frozen=True)
class BoxStyle:
    """How the box looks: colours, text scale, whether it grows, and the template (for messages)."""

    border: str
    fill: str
    template: str
    scale: float = 1.0
    grows: bool = True


@dataclass(frozen=True)
class Laid:
    """A box laid out: its paragraphs and its height."""

    story: list
    height: float


def _styles(scale: float):
    from reportlab.lib.styles import ParagraphStyle

    k = scale
    line = ParagraphStyle("boxLine", fontName=fonts.STYLES["regular"], fontSize=LINE_SIZE * k,
                          leading=LINE_SIZE * 1.25 * k, splitLongWords=1)
    name = ParagraphStyle("boxName", parent=line, fontName=fonts.STYLES["bold"], fontSize=NAME_SIZE * k,
                          leading=NAME_SIZE * 1.22 * k)
    note = ParagraphStyle("boxNote", parent=line, fontSize=NOTE_SIZE * k, leading=NOTE_SIZE * 1.25 * k,
                          spaceBefore=3 * k)
    return name, line, note


def _width(text: str, style) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return stringWidth(text, style.fontName, style.fontSize)


def _name_line(label: str, name: str, style, width: float, text_filter: TextFilter) -> str:
    """'Prepared for' and the name; the name's spaces are unbreakable when the name fits a line by itself."""
    if _width(name, style) <= width:
        name = name.replace(" ", NBSP)
    return f"{markup.plain(label, text_filter)} {markup.plain(name, text_filter)}"


def _paragraphs(personal: Personal, labels: dict, width: float, text_filter: TextFilter, scale: float) -> dict:
    """The box's items in order, each a paragraph of its own: name, date, class, note."""
    from reportlab.platypus import Paragraph

    name_style, line_style, note_style = _styles(scale)
    items = {}
    if personal.client:
        items["client"] = Paragraph(_name_line(labels["prepared_for"], personal.client, name_style, width,
                                               text_filter), name_style)
    items["date"] = Paragraph(str(markup.plain(format_date(personal.date, labels), text_filter)), line_style)
    if personal.class_name:
        items["class_name"] = Paragraph(str(markup.plain(personal.class_name, text_filter)), line_style)
    if personal.note:
        label = markup.plain(labels["note"], text_filter)
        items["note"] = Paragraph(f"<b>{label}:</b> {markup.plain(personal.note, text_filter)}", note_style)
    return items


def _height(story: list, width: float) -> float:
    used = 0.0
    for index, flowable in enumerate(story):
        _, height = flowable.wrap(width, 10_000)
        used += height + (flowable.getSpaceBefore() if index else 0)
    return used + 2 * PADDING


#: Which option (single build) names each item of the box.
OPTIONS = {"client": "--client", "date": "--date", "class_name": "--class-name", "note": "--note"}


def lay_out(personal: Personal, labels: dict, rect, text_filter: TextFilter, style: BoxStyle) -> Laid:
    """The box's paragraphs and height, or an error naming the item that is too long and by how much.

    A growing box takes the height its text needs (at least ``rect``'s, more
    by whole GROWTH lines); a fixed one tries each of STEPS and refuses only
    when the smallest fails.
    """
    _, _, width, height = rect
    inner = width - 2 * PADDING
    for step in ((1.0,) if style.grows else STEPS):
        story = list(_paragraphs(personal, labels, inner, text_filter, style.scale * step).values())
        used = _height(story, inner)
        if style.grows:
            lines = math.ceil(max(0.0, used - height) / (GROWTH * style.scale) - 1e-6)
            return Laid(story, height + lines * GROWTH * style.scale)
        if used <= height:
            return Laid(story, height)
    raise _too_long(personal, labels, rect, text_filter, style)


def _fits(personal: Personal, labels: dict, rect, text_filter: TextFilter, style: BoxStyle) -> bool:
    scale = style.scale * STEPS[-1]
    story = list(_paragraphs(personal, labels, rect[2] - 2 * PADDING, text_filter, scale).values())
    return _height(story, rect[2] - 2 * PADDING) <= rect[3]


def _longest(text: str, fits) -> int:
    """The most characters of ``text`` (cut at a word end where one is near) for which ``fits`` holds."""
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if fits(text[:middle].rstrip()):
            low = middle
        else:
            high = middle - 1
    return low


def _too_long(personal: Personal, labels: dict, rect, text_filter: TextFilter, style: BoxStyle) -> LayoutOverflowError:
    """Find, by trying, which item overflows the fixed box and how many characters must go."""
    def fits(**changes) -> bool:
        return _fits(personal.model_copy(update=changes), labels, rect, text_filter, style)

    # The note gives way first: name, date and class must fit on their own.
    if personal.note and fits(note=None):
        item, text, fitting = "note", personal.note, lambda cut: fits(note=cut or None)
    elif personal.class_name and fits(note=None, class_name=None):
        item, text, fitting = "class_name", personal.class_name, lambda cut: fits(note=None, class_name=cut or None)
    else:
        item, text = "client", personal.client or ""
        fitting = lambda cut: fits(note=None, class_name=None, client=cut or None)  # noqa: E731
    keep = _longest(text, fitting)
    what = {"client": "name", "class_name": "class name", "note": "note"}[item]
    return LayoutOverflowError(
        f"the {what} is too long for the personal box of template '{style.template}': "
        f"{len(text)} characters, {len(text) - keep} more than fit",
        field=OPTIONS[item],
        hint=f"shorten the {what} to {keep} characters or fewer, or choose a layout whose box can grow (classic)"
        if keep else f"the box has no room for a {what}: choose a layout whose box can grow (classic)",
    )


def paint(canvas, laid: Laid, rect, style: BoxStyle) -> None:
    """Draw the frame and the paragraphs ``lay_out`` made, top-aligned in ``rect``'s top-left corner.

    Laying out once and painting many times lets a batch draw the same box
    on a client's own page and on the class pack's page.
    """
    x, top_y, width = rect[0], rect[1] + rect[3], rect[2]
    canvas.saveState()
    canvas.setFillColor(style.fill)
    canvas.setStrokeColor(style.border)
    canvas.setLineWidth(1.2)
    canvas.roundRect(x, top_y - laid.height, width, laid.height, 4, stroke=1, fill=1)
    canvas.setFillColor("#000000")
    top = top_y - PADDING
    for index, flowable in enumerate(laid.story):
        top -= flowable.getSpaceBefore() if index else 0
        flowable.drawOn(canvas, x + PADDING, top - flowable.height)
        top -= flowable.height
    canvas.restoreState()


@dataclass(frozen=True)
class Box:
    """One template's personal box in one handout's language: all a stamp needs.

    ``rect`` is (x, y, width, height) of the box at its smallest; a growing
    box keeps its top edge and extends downwards.
    """

    rect: tuple[float, float, float, float]
    style: BoxStyle
    labels: dict
    text_filter: TextFilter = str

    def layout(self, personal: Personal) -> Laid:
        """The box laid out for ``personal`` (LayoutOverflowError if a fixed box cannot hold it)."""
        return lay_out(personal, self.labels, self.rect, self.text_filter, self.style)

    def paint(self, canvas, laid: Laid) -> None:
        paint(canvas, laid, self.rect, self.style)
