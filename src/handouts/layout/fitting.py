"""Fitting: the step between the template and the page engine that makes content fit.

A layout declares what may flex, in template.yaml: ``fit`` is a list of
settings from roomiest to tightest (type size, spacing, the picture's size:
whatever the template reads from ``fit``), and its pages are either fixed
(``fixed_pages``) or may grow to ``max_pages``, aiming at ``aim_pages``. This
step renders the handout at the first setting at which it fits, measured by
the engine itself (``fit``): nothing overflows a fixed panel, and the pages
are within the layout's count. Only when the tightest setting does not fit
is the content refused, and then the message names the content item to
shorten and by how much, a figure found by cutting that item and trying again.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from handouts.content.yamlload import load_yaml
from handouts.errors import LayoutOverflowError, Problem
from handouts.layout.fit import Overflow, spill


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
    within its aim; when none is, it takes the one of the settings tried that
    needs the fewest pages (the roomiest of those), with a note saying so.
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
        # Past the aim: the fewest pages any tried setting takes, at the roomiest setting that takes them.
        search(pages.limit)
        within = [(tried[i].pages, i) for i in tried if fits(tried[i], pages.limit)]
        if within:
            count, index = min(within)
            while index and fits(attempt(index - 1), count):  # a roomier setting on as few pages
                index -= 1
            note = f"this content needs {count} pages, more than the {pages.aim} this layout aims for"
            return Fitted(index, tried[index], [note])
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


def _item_leaves(data: dict, item: str) -> list:
    """(container, key) of every reader's text of the content item at path ``item`` (``sections.2``, ``summary``)."""
    parent, key = None, None
    node = data
    for part in item.split(".") if item else []:
        parent, key = node, int(part) if isinstance(node, list) else part
        node = node[key] if isinstance(node, list) else node.get(key)
    if isinstance(node, str):
        return [(parent, key)] if parent is not None else []
    return _leaves(node, [])


def size_of(content, item: str) -> int:
    """How many words (characters, for a one-line item) the item holds."""
    leaves = _item_leaves(content.model_dump(), item)
    texts = [container[key] for container, key in leaves]
    return sum(len(text) if unit(item) == "characters" else len(text.split()) for text in texts)


def trim(content, item: str, count: int):
    """``content`` with ``count`` words (or characters) cut from the end of ``item``, for a trial render.

    A list item cut to nothing goes (a list keeps its first item); other texts keep a word.
    """
    data = content.model_dump()
    remaining = count
    for container, key in reversed(_item_leaves(data, item)):
        text = container[key]
        size = len(text) if unit(item) == "characters" else len(text.split())
        if remaining >= size and isinstance(container, list) and key > 0:
            del container[key]
            remaining -= size
        elif unit(item) == "characters":
            take = min(remaining, len(text) - 1)
            container[key] = text[:len(text) - take].rstrip() or text[0]
            remaining -= take
        else:
            words = text.split()
            take = min(remaining, len(words) - 1)
            container[key] = " ".join(words[:len(words) - take])
            remaining -= take
        if remaining <= 0:
            break
    return type(content).model_validate(data)


def measured_cut(total: int, ratio: float, fits: Callable[[int], bool], *, tries: int = 10,
                 refine: bool = True) -> int | None:
    """The fewest words (about) to cut for ``fits`` to hold, found by trying; None if cutting all is not enough.

    The first guess comes from the measured overflow ``ratio``; then the cut
    grows until a try fits, and (with ``refine``) a few halvings bring it
    close to the least.
    """
    guess = math.ceil(total * (1 - 1 / ratio)) if math.isfinite(ratio) and ratio > 1 else max(1, total // 2)
    guess, failed = max(1, min(total, guess)), 0
    while not fits(guess):
        tries -= 1
        if guess >= total or tries <= 0:
            return None
        failed, guess = guess, min(total, math.ceil(guess * 1.5) + 1)
    for _ in range(min(3, tries) if refine else 0):
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


#: About how many characters of text a page holds per square point, at 12 pt type (measured on the
#: built-in layouts: 3,000 to 3,600 characters on a Letter page with headings, spacing and margins).
_CHARACTERS_PER_POINT = 3600 / (612 * 792)
#: Content this many times what a layout can hold is refused at once, without laying it out.
_HOPELESS = 3.0
#: The parts of a handout a reader sees as separate items.
_ITEMS = ("title", "subtitle", "summary", "key_points", "sections", "safety", "sidebar", "references")


def hopeless(content, pages: int, page_size: tuple[float, float], size: float) -> Overflow | None:
    """Content far beyond what the layout can hold at its smallest type, found by counting, not laying out.

    Laying out a huge text page after page costs minutes; counting its
    characters costs nothing. The item named is the biggest.
    """
    holds = _CHARACTERS_PER_POINT * page_size[0] * page_size[1] * pages * (12 / size) ** 2
    data = content.model_dump()
    sizes = {}
    for name in _ITEMS:
        if name == "sections":
            sizes.update({f"sections.{i}": _characters(data, f"sections.{i}") for i in range(len(data["sections"]))})
        else:
            sizes[name] = _characters(data, name)
    total = sum(sizes.values())
    if total <= _HOPELESS * holds:
        return None
    biggest = max(sizes, key=sizes.get)
    return Overflow(f"the {pages} page(s) it may take", item=biggest, used=total, room=holds)


def _characters(data: dict, item: str) -> int:
    return sum(len(container[key]) for container, key in _item_leaves(data, item))


@dataclass(frozen=True)
class Refusing:
    """What a refusal needs to know: the layout, the content, and a try at the tightest setting."""

    template: str
    source: str  # the template file, named when no content item can be blamed
    size: float | None  # the tightest setting's type size
    content: object
    content_file: Path
    overflow_of: Callable[[object], Overflow | None]  # what (cut) content still overflows at the tightest setting


#: Most content items one refusal names (each found by cutting the one before and trying again).
MOST_TOLD = 4


def refusal(refusing: Refusing, overflow: Overflow) -> LayoutOverflowError:
    """Every content item that does not fit at the tightest setting, with what to cut from each, found by trying.

    The first overflow is measured by cutting its item until that item fits
    (another item overflowing next does not count against it); then, with
    that cut made, the next overflow is measured the same way.
    """
    content, problems = refusing.content, []
    while overflow is not None and len(problems) < MOST_TOLD:
        if "+" in overflow.item:  # a panel holding several items (a card's step lists): the longest is told
            overflow.item = max(overflow.item.split("+"), key=lambda item: size_of(content, item))
        problem, cut = _told(refusing, content, overflow)
        problems.append(problem)
        if cut is None:
            break
        content = trim(content, overflow.item, cut)
        following = refusing.overflow_of(content)
        overflow = following if following is None or overflow.item not in following.item.split("+") else None
    return LayoutOverflowError.collected(problems)


def _told(refusing: Refusing, content, overflow: Overflow):
    """One item's problem, and the cut that makes it fit (None: it cannot be measured or cutting it all fails)."""
    item = overflow.item
    what = describe(item, content)
    where = f"template '{refusing.template}': no room for {what} in {overflow.where}" + \
        (f", even at its smallest type ({refusing.size:g} pt)" if refusing.size else "")
    hint = "choose a layout that can grow (classic, large-print)"
    total = size_of(content, item) if what != "the content" else 0
    if not total:
        return Problem(where, refusing.source, hint=f"shorten the content, or {hint}"), None

    def fits(count: int) -> bool:
        still = refusing.overflow_of(trim(content, item, count))
        return still is None or item not in still.item.split("+")

    # Hopeless content is measured with a single try: every other would lay out the huge text again.
    cut = measured_cut(total, overflow.ratio, fits, refine=math.isfinite(overflow.ratio) and overflow.ratio < _HOPELESS)
    units = unit(item) if cut != 1 else unit(item)[:-1]
    line, column = load_yaml(refusing.content_file).locate(tuple(int(p) if p.isdigit() else p
                                                                 for p in item.split(".")))
    place = {"file": refusing.content_file, "line": line, "column": column, "field": item}
    if cut is None:
        return Problem(f"{where}: cutting all of its {total} {units} would not be enough",
                       hint=f"shorten what comes before it, or {hint}", **place), None
    return Problem(f"{where}: about {cut} {units} too many",
                   hint=f"cut about {cut} {units} from it (or from what comes before it), or {hint}", **place), cut
