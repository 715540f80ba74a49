"""Fitting: the step between the template and the page engine that makes content fit.

A layout declares what may flex, in template.yaml: ``fit`` is a list of
settings from roomiest to tightest (type size, spacing, the picture's size:
whatever the template reads from ``fit``), and its pages are either fixed
(``fixed_pages``) or may grow to ``max_pages``, aiming at ``aim_pages``. This
step renders the handout at the first setting at which it fits, measured by
the engine itself: nothing overflows a fixed panel, and the pages are within
the layout's count. Only when the tightest setting does not fit is the
content refused, and then the message names the content item to shorten and
by how much, a figure found by cutting that item and trying again.

Where content landed is read from zero-size markers (``m.mark(path)`` in the
shared macros, a ``<plugInFlowable>`` calling :func:`mark`): each records
its page, panel and the room left below it, so a flowing layout can say which
part ran past its last page, and by how much.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field

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


class _EndsOn(Flowable):
    """Draws nothing; stops the render when the flow reaches it after page ``page``.

    A fixed layout whose parts flow through several panels of one page (a
    brochure's outside) ends that flow with this guard: content that ran on
    to a later page did not fit, and the measure is how far it ran.
    """

    def __init__(self, page: int):
        super().__init__()
        self.page = page

    def wrap(self, available_width, available_height):
        return 0, 0

    def frameAction(self, frame):  # noqa: N802 (ReportLab's name)
        if self.canv.getPageNumber() <= self.page:
            return
        marks = [m for m in getattr(self.canv, "marks", []) if m.page <= self.page and m.label]
        room = sum({(m.page, m.panel): m.height for m in getattr(self.canv, "marks", []) if m.page <= self.page}.values())
        extra = (frame._y2 - frame._topPadding) - frame._y
        culprit = marks[-1] if marks else None
        raise Overflow(f"panel '{culprit.panel if culprit else frame.id}'", item=culprit.label if culprit else "",
                       used=room + extra, room=room)

    def draw(self):
        pass


def ends_on(params: str) -> Flowable:
    """``<plugInFlowable module="handouts.fit" function="ends_on">{"page": 1}</plugInFlowable>``."""
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
    room = sum({(m.page, m.panel): m.height for m in early}.values())
    extra = sum(over.values())
    return Overflow(f"panel '{culprit.panel}'", item=culprit.label, used=room + extra, room=room, template=template)


def tightest(marks: list[Mark]) -> Mark | None:
    """The panel end (a marker with no label) with the least room left below it."""
    return min((m for m in marks if not m.label), key=lambda m: m.free, default=None)


@dataclass(frozen=True)
class Pages:
    """A layout's page count: exactly ``fixed``, or up to ``most``, aiming at ``aim``."""

    fixed: int | None = None
    most: int | None = None
    aim: int | None = None

    @property
    def limit(self) -> int | None:
        return self.fixed or self.most


@dataclass
class Fitted:
    """The chosen setting, what it rendered, and what the reader should know (a page over the aim)."""

    level: int
    result: object  # what ``render`` returned
    notes: list[str] = field(default_factory=list)


#: Render one try: (setting index) -> a result with ``pages``, or raise Overflow.
Render = Callable[[int], object]


def choose(levels: list[dict], render: Render, pages: Pages, *, known: int | None = None) -> Fitted:
    """Render at the first setting that fits, trying as few as the measurements allow.

    The first try is the roomiest setting, or ``known``: the one these very
    inputs fitted at before. When a try overflows, its measured ratio says how
    much tighter the content must be set, and :func:`_predict` skips to the
    first setting expected to give that. A growing layout looks for a setting
    within its aim; when none is, it takes the roomiest that fits its most,
    with a note saying so.
    """
    tried: dict[int, object] = {}

    def attempt(index: int):
        if index not in tried:
            try:
                tried[index] = render(index)
            except Overflow as overflow:
                tried[index] = overflow
        return tried[index]

    def fits(result, limit) -> bool:
        return not isinstance(result, Overflow) and not (limit and result.pages > limit)

    def search(goal, index: int = 0):
        result = attempt(index)
        while not fits(result, goal) and index < len(levels) - 1:
            index = max(index + 1, _predict(levels, index, shortfall(result, goal).ratio))
            result = attempt(index)
        return index, result

    start = known if known is not None and 0 <= known < len(levels) else 0
    if start and not fits(attempt(start), pages.aim or pages.limit):
        start = 0
    index, result = search(pages.aim or pages.limit, start)
    if fits(result, pages.aim or pages.limit):
        return Fitted(index, result)
    if pages.aim:
        index, result = search(pages.limit)
        if fits(result, pages.limit):
            note = f"this content needs {result.pages} pages, more than the {pages.aim} this layout aims for"
            return Fitted(index, result, [note])
    raise shortfall(result, pages.limit)


def shortfall(result, pages: int | None) -> Overflow:
    """Why a try did not fit: its overflow, or what ran past the last page it may take."""
    if isinstance(result, Overflow):
        return result
    return spill(result.marks, pages) or Overflow(f"the content needs {result.pages} pages, more than {pages}",
                                                  used=float(result.pages), room=float(pages))


#: How much of a page's height is lines of text (the rest is space between paragraphs).
_TEXT_SHARE = 0.8


def relative_height(level: dict, base: dict) -> float:
    """How tall content set at ``level`` is against ``base``, estimated from type size and spacing."""
    size = (level.get("size", 1.0) / base.get("size", 1.0)) ** 2
    space = level.get("space", 1.0) / base.get("space", 1.0)
    return size * (_TEXT_SHARE + (1 - _TEXT_SHARE) * space)


def _predict(levels: list[dict], index: int, ratio: float) -> int:
    """The first setting after ``index`` expected to hold content that was ``ratio`` times too big there."""
    if not math.isfinite(ratio):
        return len(levels) - 1
    here = relative_height(levels[index], levels[0])
    for later in range(index + 1, len(levels)):
        if relative_height(levels[later], levels[0]) * ratio <= here:
            return later
    return len(levels) - 1


#: Fields that hold no reader's text (ids, files, links): a trial cut never touches them.
_NOT_TEXT = {"id", "lang", "file", "sources", "url", "doi", "alt", "reviewed", "date", "accessed", "year",
             "volume", "issue", "pages"}
#: Items a reader sees as one line: shortened by characters, not words.
_LINES = {"title", "subtitle", "duration"}


def unit(item: str) -> str:
    return "characters" if item in _LINES else "words"


def _leaves(node, found: list) -> list:
    """(container, key) of every reader's text under ``node``, in reading order."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in _NOT_TEXT:
                continue
            if isinstance(value, str):
                found.append((node, key))
            else:
                _leaves(value, found)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            if isinstance(value, str):
                found.append((node, index))
            else:
                _leaves(value, found)
    return found


def _node(data: dict, item: str):
    node = data
    for part in item.split(".") if item else []:
        node = node[int(part)] if isinstance(node, list) else node.get(part)
    return node


def size_of(content, item: str) -> int:
    """How many words (characters, for a one-line item) the item holds."""
    leaves = _leaves(_node(content.model_dump(), item), [])
    texts = [container[key] for container, key in leaves]
    return sum(len(text) if unit(item) == "characters" else len(text.split()) for text in texts)


def trim(content, item: str, count: int):
    """``content`` with ``count`` words (or characters) cut from the end of ``item``, for a trial render."""
    data = content.model_dump()
    remaining = count
    for container, key in reversed(_leaves(_node(data, item), [])):
        text = container[key]
        if unit(item) == "characters":
            take = min(remaining, len(text) - 1)
            container[key] = text[:len(text) - take].rstrip() or text[0]
        else:
            words = text.split()
            take = min(remaining, len(words) - 1)
            container[key] = " ".join(words[:len(words) - take])
        remaining -= take
        if remaining <= 0:
            break
    return type(content).model_validate(data)


def measured_cut(total: int, ratio: float, fits: Callable[[int], bool], *, tries: int = 10) -> int | None:
    """The fewest words (about) to cut for ``fits`` to hold, found by trying; None if cutting all is not enough.

    The first guess comes from the measured overflow ``ratio``; then the cut
    grows until a try fits, and a few halvings bring it close to the least.
    """
    guess = math.ceil(total * (1 - 1 / ratio)) if math.isfinite(ratio) and ratio > 1 else max(1, total // 2)
    guess, failed = max(1, min(total, guess)), 0
    while not fits(guess):
        tries -= 1
        if guess >= total or tries <= 0:
            return None
        failed, guess = guess, min(total, math.ceil(guess * 1.5) + 1)
    for _ in range(min(3, tries)):
        middle = (failed + guess) // 2
        if middle <= failed:
            break
        if fits(middle):
            guess = middle
        else:
            failed = middle
    return guess


def describe(item: str, content) -> str:
    """A content path in the reader's words: ``sections.2`` -> "section 'How to do it'"."""
    parts = item.split(".") if item else []
    if parts[:1] == ["sections"] and len(parts) > 1 and parts[1].isdigit() and int(parts[1]) < len(content.sections):
        return f"section '{content.sections[int(parts[1])].heading}' ({item})"
    names = {"title": "the title", "subtitle": "the subtitle", "summary": "the summary",
             "key_points": "the key points", "safety": "the safety list", "references": "the sources",
             "illustration": "the pictures and their captions", "duration": "the time"}
    if item == "sidebar" and content.sidebar:
        return f"the debate ('{content.sidebar.title}', sidebar)"
    return names.get(item, "the content")


#: A page of text holds about this many characters per square point of type size (measured on the
#: built-in layouts at 12 pt: about 3,900 characters on a Letter page with margins, headings and spacing).
_CHARACTERS_PER_PAGE_AT_12PT = 3900


def capacity(pages: int, page_area: float, size: float) -> int:
    """About how many characters of text a layout can hold, from its page area and smallest type size."""
    letter = 612 * 792
    return int(_CHARACTERS_PER_PAGE_AT_12PT * pages * (page_area / letter) * (12 / size) ** 2)
