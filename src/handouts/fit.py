"""Where the content landed: free space per panel, and what ran past a fixed layout.

A fixed layout (a brochure with a set number of pages) may let its sections
flow through several panels; ReportLab then simply starts another page when
they do not fit. A zero-size marker (``m.mark(label)`` in the shared macros,
a ``<plugInFlowable>`` calling :func:`mark`) records the page, the panel and
the free height below it, so the build can name the section that ran past
the last panel and say by how much, and a benchmark can report how much room
each panel has left.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from reportlab.platypus.flowables import Flowable


@dataclass(frozen=True)
class Mark:
    """One marker as drawn: the label it stands before and its place."""

    label: str
    page: int
    panel: str
    free: float  # points left below the marker in its panel
    height: float  # the panel's usable height

    @property
    def used(self) -> float:
        return self.height - self.free


class _Marker(Flowable):
    """Draws nothing; tells the canvas (``canvas.marks``) where the frame stands.

    ``frameAction`` is called by the frame as the marker is added and always
    succeeds, so a marker never moves on to the next frame, even at the very
    bottom of a full panel.
    """

    def __init__(self, label: str):
        super().__init__()
        self.label = label

    def wrap(self, available_width, available_height):
        return 0, 0

    def frameAction(self, frame):  # noqa: N802 (ReportLab's name)
        marks = getattr(self.canv, "marks", None)
        if marks is None:
            return
        top = frame._y2 - frame._topPadding
        free = max(0.0, frame._y - frame._y1p)
        marks.append(Mark(self.label, self.canv.getPageNumber(), frame.id, free, top - frame._y1p))

    def draw(self):
        pass


def mark(params: str) -> Flowable:
    """The ``<plugInFlowable>`` entry point: ``{"label": ...}`` as JSON."""
    return _Marker(json.loads(params)["label"])


def spill(marks: list[Mark], pages: int) -> str | None:
    """Say which section ran past page ``pages`` and by about how much, if any did.

    The culprit is the last section that started within the allowed pages:
    it, or what followed it, had no room left. The overflow is the height used
    on the extra pages, counted in each extra panel a marker landed in.
    """
    late = [m for m in marks if m.page > pages]
    if not late:
        return None
    early = [m for m in marks if m.page <= pages]
    culprit = early[-1] if early else late[0]
    used: dict[tuple[int, str], float] = {}
    for m in late:
        used[m.page, m.panel] = max(used.get((m.page, m.panel), 0.0), m.used)
    over = sum(used.values())
    where = f"panel '{culprit.panel}'" + (f" (section '{culprit.label}')" if culprit.label else "")
    return f"{where} does not fit: {over:.0f} pt ran past the last of its {pages} page(s)"


def tightest(marks: list[Mark]) -> Mark | None:
    """The panel end (a marker with no label) with the least room left below it."""
    return min((m for m in marks if not m.label), key=lambda m: m.free, default=None)
