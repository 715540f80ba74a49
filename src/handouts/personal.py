"""The personal box: client, date and teacher's note in a fixed place.

The box's position comes from the template (``personal_box`` in
template.yaml) and never moves the shared text around it, so a class can
share one layout and differ only here. One function draws it onto any
ReportLab canvas: inside a normal build (through the render page hook) and
as a stamp over shared pages in a batch.
"""

from __future__ import annotations

from dataclasses import dataclass

from handouts import fonts, markup
from handouts.errors import LayoutOverflowError
from handouts.labels import format_date
from handouts.markup import TextFilter
from handouts.models import Personal

PADDING = 7.0


@dataclass(frozen=True)
class BoxStyle:
    """Colours, text scale and the template name (for messages) used to draw the box."""

    border: str
    fill: str
    template: str
    scale: float = 1.0


def _story(personal: Personal, labels: dict, text_filter: TextFilter, style: BoxStyle):
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

    k = style.scale
    base = ParagraphStyle("box", fontName=fonts.STYLES["regular"], fontSize=10.5 * k, leading=13 * k)
    name_style = ParagraphStyle("boxName", parent=base, fontName=fonts.STYLES["bold"], fontSize=13 * k, leading=16 * k)
    note_style = ParagraphStyle("boxNote", parent=base, fontSize=11 * k, leading=13.5 * k, spaceBefore=3 * k)
    story = []
    if personal.client:
        label = markup.plain(labels["prepared_for"], text_filter)
        story.append(Paragraph(f"{label} {markup.plain(personal.client, text_filter)}", name_style))
    when = format_date(personal.date, labels)
    if personal.class_name:
        when = f"{personal.class_name} · {when}"
    story.append(Paragraph(str(markup.plain(when, text_filter)), base))
    if personal.note:
        label = markup.plain(labels["note"], text_filter)
        story.append(Paragraph(f"<b>{label}:</b> {markup.plain(personal.note, text_filter)}", note_style))
    return story


def check_fits(personal: Personal, labels: dict, rect, text_filter: TextFilter, style: BoxStyle) -> list:
    """The box's paragraphs, or an error saying how much is too long."""
    _, _, width, height = rect
    inner_w, inner_h = width - 2 * PADDING, height - 2 * PADDING
    story = _story(personal, labels, text_filter, style)
    used = 0.0
    for flowable in story:
        _, h = flowable.wrap(inner_w, inner_h)
        used += h + flowable.getSpaceBefore()
    if used > inner_h:
        over = used - inner_h
        fits = max(0, int(len(personal.note or "") * inner_h / used) - 5)
        raise LayoutOverflowError(
            f"the personal box of template '{style.template}' is {over:.0f} pt too small "
            "for the client name, date and note",
            field="--note",
            hint=f"shorten the note to about {fits} characters",
        )
    return story


def draw(canvas, personal: Personal, labels: dict, rect, text_filter: TextFilter, style: BoxStyle) -> None:
    """Draw the framed box and its text at ``rect`` = (x, y, width, height)."""
    paint(canvas, check_fits(personal, labels, rect, text_filter, style), rect, style)


def paint(canvas, story: list, rect, style: BoxStyle) -> None:
    """Draw the frame and the paragraphs ``check_fits`` laid out.

    Laying out once and painting many times lets a batch draw the same box
    on a client's own page and on the class pack's page.
    """
    x, y, width, height = rect
    canvas.saveState()
    canvas.setFillColor(style.fill)
    canvas.setStrokeColor(style.border)
    canvas.setLineWidth(1.2)
    canvas.roundRect(x, y, width, height, 4, stroke=1, fill=1)
    canvas.setFillColor("#000000")
    top = y + height - PADDING
    for flowable in story:
        top -= flowable.getSpaceBefore()
        flowable.drawOn(canvas, x + PADDING, top - flowable.height)
        top -= flowable.height
    canvas.restoreState()


@dataclass(frozen=True)
class Box:
    """One template's personal box in one handout's language: all a stamp needs."""

    rect: tuple[float, float, float, float]
    style: BoxStyle
    labels: dict
    text_filter: TextFilter = str

    def layout(self, personal: Personal) -> list:
        """The box's paragraphs, laid out (LayoutOverflowError if they do not fit)."""
        return check_fits(personal, self.labels, self.rect, self.text_filter, self.style)

    def paint(self, canvas, story: list) -> None:
        paint(canvas, story, self.rect, self.style)
