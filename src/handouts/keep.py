"""Keep a heading with the start of its text, not with all of it.

ReportLab groups a ``keepWithNext`` heading with the next flowable and, when
the two do not fit together, moves both to the next page: a heading over a
long paragraph leaves a gap as tall as that paragraph. A typesetter keeps the
heading with the paragraph's first lines only. :class:`KeepWithStart` does
that: it splits the last flowable of the group where its own rules allow
(a paragraph's orphan and widow control, a table's rows) and moves the group
only when no such split fits below the heading.
"""

from __future__ import annotations

from reportlab.platypus.doctemplate import BaseDocTemplate
from reportlab.platypus.flowables import KeepTogether


class KeepWithStart(KeepTogether):
    """A keepWithNext group that may split its last flowable (see the module)."""

    def split(self, aW, aH):
        self.wrap(aW, aH)
        if self._H <= aH or len(self._content) < 2:
            return super().split(aW, aH)
        *heads, body = self._content
        used = sum(f.wrapOn(self.canv, aW, aH)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in heads)
        room = aH - used - body.getSpaceBefore()
        pieces = body.splitOn(self.canv, aW, room) if room > 0 else []
        if len(pieces) < 2 or not _keeps_text(body, pieces):
            return super().split(aW, aH)
        return [*heads, *pieces]


def _keeps_text(body, pieces) -> bool:
    """Whether the split falls between whole words: a word too long for the
    line would otherwise break across pages (the old way moves it whole)."""
    if not all(hasattr(f, "getPlainText") for f in (body, pieces[0])):
        return True
    first = pieces[0].getPlainText().split()
    return body.getPlainText().split()[:len(first)] == first


def install() -> None:
    """Make every document ReportLab builds from now on use :class:`KeepWithStart`."""
    BaseDocTemplate._initArgs["keepTogetherClass"] = KeepWithStart
