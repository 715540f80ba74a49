"""Where content landed on the pages, and what did not fit: the fitting step's measurements.

Zero-size markers (``m.mark(path)`` in the shared macros, a
``<plugInFlowable>`` calling :func:`mark`) record their page, panel and the
room left below them, so a layout can say which part ran past its last page
and by how much; a guard (:func:`ends_on`) stops a flow that runs past the
page it must end on. What did not fit is an :class:`Overflow`: the content
path of the part that ran over, and the points it needed and had.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

from reportlab.platypus.doctemplate import LCActionFlowable
from reportlab.platypus.flowables import Flowable

from handouts.errors import LayoutOverflowError


@dataclass(frozen=True)
class Mark:
    """One marker as drawn: the content it stands before (a path such as ``sections.2``) and its place."""

    label: str
    page: int
    panel: str
    free: float  # points left below the marker in its panel
    height: float  # the panel's usable height

    @property
    def used(self) -> float:
        return self.height - self.free


class _Unseen(Flowable):
    """A flowable that takes no room and draws nothing: it acts when the frame adds it (``frameAction``)."""

    def wrap(self, available_width, available_height):
        return 0, 0

    def draw(self):
        pass


class _Marker(_Unseen):
    """Tells the canvas (``canvas.marks``) where the frame stands.

    ``frameAction`` is called by the frame as the marker is added and always
    succeeds, so a marker never moves on to the next frame, even at the very
    bottom of a full panel.
    """

    def __init__(self, label: str):
        super().__init__()
        self.label = label

    def frameAction(self, frame):  # noqa: N802 (ReportLab's name)
        marks = getattr(self.canv, "marks", None)
        if marks is None:
            return
        top = frame._y2 - frame._topPadding
        free = max(0.0, frame._y - frame._y1p)
        marks.append(Mark(self.label, self.canv.getPageNumber(), frame.id, free, top - frame._y1p))


def mark(params: str) -> Flowable:
    """The ``<plugInFlowable>`` entry point: ``{"label": ...}`` as JSON."""
    return _Marker(json.loads(params)["label"])


class _EndsOn(_Unseen):
    """Stops the render when the flow reaches it after page ``page``.

    A fixed layout whose parts flow through several panels of one page (a
    brochure's outside) ends that flow with this guard: content that ran on
    to a later page did not fit, and the measure is how far it ran.
    """

    def __init__(self, page: int):
        super().__init__()
        self.page = page

    def frameAction(self, frame):  # noqa: N802 (ReportLab's name)
        if self.canv.getPageNumber() <= self.page:
            return
        marks = getattr(self.canv, "marks", [])
        labelled = [m for m in marks if m.page <= self.page and m.label]
        room = _room(marks, self.page)
        extra = (frame._y2 - frame._topPadding) - frame._y
        culprit = labelled[-1] if labelled else None
        raise Overflow(f"panel '{culprit.panel if culprit else frame.id}'", item=culprit.label if culprit else "",
                       used=room + extra, room=room)


class _InPanel(LCActionFlowable):
    """A frame break taken only where the flow stands in another panel than ``panel``.

    A brochure's back panel has the studio's contact at its foot whatever
    the debate before it leaves: when the debate ends on the flap, the
    contact still goes to the back.
    """

    def __init__(self, panel: str):
        super().__init__(("frameEnd",))
        self.panel = panel

    def apply(self, doc):
        if getattr(doc.frame, "id", None) != self.panel:
            super().apply(doc)


def in_panel(params: str) -> Flowable:
    """``<plugInFlowable module="handouts.layout.fit" function="in_panel">{"panel": "back"}</plugInFlowable>``."""
    return _InPanel(str(json.loads(params)["panel"]))


def ends_on(params: str) -> Flowable:
    """``<plugInFlowable module="handouts.layout.fit" function="ends_on">{"page": 1}</plugInFlowable>``."""
    return _EndsOn(int(json.loads(params)["page"]))


class Overflow(LayoutOverflowError):
    """Content that did not fit: where (a panel, or the page count) and by how much.

    ``item`` is the content path of what ran over (``sidebar``, ``sections.3``,
    ``title``...); ``used`` and ``room`` are points, for the fitting step to
    judge how much tighter the next try must be.
    """

    def __init__(self, where: str, *, item: str = "", used: float = 0.0, room: float = 0.0, template: str = ""):
        super().__init__(where)
        self.where, self.item, self.used, self.room, self.template = where, item, used, room, template

    @property
    def ratio(self) -> float:
        """How many times too big the content is (inf when unknown)."""
        return self.used / self.room if self.room > 0 else math.inf


def _room(marks: list[Mark], pages: int) -> float:
    """The height of every panel a marker stood in on the first ``pages`` pages."""
    return sum({(m.page, m.panel): m.height for m in marks if m.page <= pages}.values())


def spill(marks: list[Mark], pages: int, template: str = "") -> Overflow | None:
    """What ran past page ``pages`` and by about how much, if anything did.

    The culprit is the last part that started within the allowed pages: it,
    or what followed it, had no room left. The overflow is the height used on
    the extra pages, counted in each extra panel a marker landed in; the room
    is the height of every panel on the allowed pages.
    """
    late = [m for m in marks if m.page > pages]
    if not late:
        return None
    early = [m for m in marks if m.page <= pages]
    culprit = early[-1] if early else late[0]
    over: dict[tuple[int, str], float] = {}
    for m in late:
        over[m.page, m.panel] = max(over.get((m.page, m.panel), 0.0), m.used)
    room = _room(marks, pages)
    extra = sum(over.values())
    return Overflow(f"panel '{culprit.panel}'", item=culprit.label, used=room + extra, room=room, template=template)


def running_over(marks: list[Mark], pages: int, template: str = "") -> Overflow:
    """Content still running when the layout reached a page past ``pages``: the part that was being laid out."""
    labelled = [m for m in marks if m.label]
    culprit = labelled[-1] if labelled else None
    room = _room(marks, pages)
    where = f"panel '{culprit.panel}'" if culprit else f"more than {pages} page(s)"
    return Overflow(where, item=culprit.label if culprit else "", used=math.inf, room=room or 1.0, template=template)


def tightest(marks: list[Mark]) -> Mark | None:
    """The panel end (a marker with no label) with the least room left below it."""
    return min((m for m in marks if not m.label), key=lambda m: m.free, default=None)
