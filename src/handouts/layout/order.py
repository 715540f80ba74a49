"""Reading order: each page's content drawn in the order a person reads it.

Copy-paste, search, ``pdftotext -raw`` and screen readers follow the order
in which a page's content stream draws things, not where they stand. A
layout draws in another order: page graphics (the footer) come first, and a
sidebar is often filled before the main column. So templates mark where
each part begins, with a part name from :data:`PARTS`, and the canvas puts
the page's stream in that order just before the page is written: the
stream is cut at the marks and the pieces are sorted by part (stable, so
the pieces of one part keep the order they were drawn in).

A mark in the story is a zero-size flowable (``m.part(name)``); a mark in
page graphics is a ``plugInGraphic`` pair (``m.graphics_part(name)`` and
``m.graphics_end()``), after which the story's own part goes on. Pieces are
whole drawing operations of ReportLab (each flowable is drawn inside a
saved graphics state), so any order draws the same page.
"""

from __future__ import annotations

from reportlab.platypus.flowables import Flowable

#: The parts of a page, in reading order.
PARTS = ("background", "header", "personal", "key_points", "main", "safety", "sidebar", "references",
         "contact", "footer")
RANK = {name: rank for rank, name in enumerate(PARTS)}
#: Content a template does not mark is main text.
DEFAULT = RANK["main"]


class PageOrder:
    """The marks of the page being drawn: (position in the canvas's code, part rank)."""

    def __init__(self) -> None:
        self.marks: list[tuple[int, int]] = []
        #: The story's part in effect (it goes on across a page break).
        self.story_rank = DEFAULT

    def mark(self, canvas, rank: int) -> None:
        self.marks.append((len(canvas._code), rank))

    def reorder(self, code: list[str]) -> None:
        """Sort a page's operators (in place) by part; what comes before the first mark stays first."""
        cuts = [0, *(index for index, _ in self.marks), len(code)]
        ranks = [-1, *(rank for _, rank in self.marks)]
        pieces = sorted(range(len(ranks)), key=lambda i: (ranks[i], i))
        code[:] = [op for i in pieces for op in code[cuts[i]:cuts[i + 1]]]
        self.marks = []


def _order(canvas) -> PageOrder | None:
    return getattr(canvas, "reading_order", None)


class _Part(Flowable):
    """Draws nothing; marks that the story's part ``name`` starts here (inside a keep-in-frame too)."""

    _ZEROSIZE = True

    def __init__(self, name: str):
        super().__init__()
        self.rank = RANK[name]

    def wrap(self, available_width, available_height):
        return 0, 0

    def drawOn(self, canvas, x, y, _sW=0):  # noqa: N802 (ReportLab's name)
        order = _order(canvas)
        if order is not None:
            order.story_rank = self.rank
            order.mark(canvas, self.rank)

    def draw(self):
        pass


def part(params: str) -> Flowable:
    """``<plugInFlowable module="handouts.layout.order" function="part">main</plugInFlowable>``."""
    return _Part(params.strip())


def graphics_part(canvas, params: str) -> None:
    """``<plugInGraphic module="handouts.layout.order" function="graphics_part">footer</plugInGraphic>``."""
    order = _order(canvas)
    if order is not None:
        order.mark(canvas, RANK[params.strip()])


def graphics_end(canvas, params: str = "") -> None:
    """After page graphics: the story's own part goes on."""
    order = _order(canvas)
    if order is not None:
        order.mark(canvas, order.story_rank)
