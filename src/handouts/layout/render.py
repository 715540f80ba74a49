"""RML text to PDF bytes, through z3c.rml and ReportLab.

The document is built with a canvas class of our own, which sets what RML
cannot (the PDF's language and keywords), calls a hook on each page so the
personal box is drawn by the same code that stamps it in a batch, puts each
page's content in reading order (see ``order``), and stops a layout that
runs past the pages it may take.
Everything z3c.rml would only log (an unknown tag, a bad attribute) is
collected and turned into an error: a template bug never prints silently.
"""

from __future__ import annotations

import io
import logging
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from handouts import __version__, cache
from handouts.errors import HandoutError, RenderError
from handouts.layout import fit, fonts, order, rmlguard

PageHook = Callable[[object, int], None]
#: Where a batch's stamp goes in page 1's content, so a client's box reads where a single build's does.
STAMP_PLACE = "/HandoutStamp"


@dataclass
class PdfInfo:
    """What goes into the PDF besides the pages."""

    lang: str
    template: str = ""  # named in layout errors
    keywords: list[str] = field(default_factory=list)
    page_hook: PageHook | None = None
    page_limit: int | None = None  # a page past this stops the render (fit.Overflow)
    stamp_place: bool = False  # mark where page 1's personal box reads (a batch's shared pages, stamped later)
    pages: int = 0  # set while rendering: pages of the final pass
    marks: list = field(default_factory=list)  # fit.Mark of the final pass
    allowed: rmlguard.Allowed = field(default_factory=rmlguard.Allowed)  # pictures and folders the RML may use


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def _canvas_class(info: PdfInfo):
    from reportlab.pdfgen.canvas import Canvas

    class HandoutCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            kwargs["lang"] = info.lang
            # Never the base-14 Helvetica, not even as the unused initial font.
            kwargs["initialFontName"] = fonts.STYLES["regular"]
            super().__init__(*args, **kwargs)
            self.marks = info.marks = []  # a new canvas per pass: keep the last pass's marks
            self.reading_order = order.PageOrder()

        def setKeywords(self, keywords):
            # platypus sets its own (empty) keywords after the canvas is made.
            super().setKeywords(keywords or info.keywords)

        def showPage(self):
            info.pages = self.getPageNumber()
            if info.page_limit and info.pages > info.page_limit:
                # Laying out pages nobody may print costs time (a huge text, many pages): stop here.
                raise fit.spill(self.marks, info.page_limit, info.template) or \
                    fit.running_over(self.marks, info.page_limit, info.template)
            if info.page_hook or (info.stamp_place and info.pages == 1):
                self.reading_order.mark(self, order.RANK["personal"])
            if info.page_hook:
                info.page_hook(self, info.pages)
            if info.stamp_place and info.pages == 1:
                self._code.append(f"{STAMP_PLACE} MP")  # a marked-content point: draws nothing
            self.reading_order.reorder(self._code)
            super().showPage()

    return HandoutCanvas


def _overflow(exc: Exception, template: str, marks: list) -> fit.Overflow:
    """Which panel overflowed, what it held, and by how much.

    A fixed panel is ``<keepInFrame onOverflow="error" id="PANEL|ITEM">``
    (ITEM: the content path it holds); ReportLab's message holds the content
    size and the panel's name, and the height that was available is read
    from the failing frame of the traceback. A table row taller than a
    whole panel (one long view of a debate) is the last part marked.
    """
    text = str(exc)
    size = re.search(r"([\d.]+)x([\d.]+) too large", text)
    name = re.search(r'name="([^"]*)"', text)
    row = re.search(r"tallest (?:row|cell) ([\d.]+)", text)
    frame = re.search(r"in frame '([^']*)'\([\d.]+ x ([\d.]+)", text)
    if row and frame and not name:
        used, room = float(row.group(1)), float(frame.group(2))
        return fit.Overflow(f"panel '{frame.group(1)}': one part {used - room:.0f} pt taller than the whole panel",
                            item=marks[-1].label if marks else "", used=used, room=room, template=template)
    if not (size and name):
        return fit.Overflow("the page", template=template, used=math.inf, room=1.0)
    panel, _, item = name.group(1).partition("|")
    available = None
    tb = exc.__traceback__
    while tb is not None:
        available = tb.tb_frame.f_locals.get("availHeight", available)
        tb = tb.tb_next
    height = float(size.group(2))
    room = float(available) if available is not None else 0.0
    where = f"panel '{panel}': {height - room:.0f} pt too tall, {height:.0f} pt in {room:.0f} pt" if room \
        else f"panel '{panel}'"
    return fit.Overflow(where, item=item, used=height, room=room, template=template)


#: Page count last seen for an RML text. "Page x of y" needs y before the
#: pages are drawn, which costs z3c.rml a whole second layout pass; when the
#: same RML was rendered before (a batch, watch, any repeat, even in an
#: earlier process), y is known, and checked once the pages are laid out.
_pages_seen: dict[str, int] = {}


def rml_to_pdf(rml: str, info: PdfInfo, *, source: str) -> bytes:
    """Render RML; errors name ``source`` (the template) and the RML line."""
    key = cache.key(__version__, rml)
    known = _pages_seen.get(key) or cache.load("pages", key)
    pdf = _render(rml, info, source, known if isinstance(known, int) else None)
    if known is not None and known != info.pages:  # a stale guess: lay out again
        pdf = _render(rml, info, source, None)
    if _pages_seen.get(key) != info.pages:
        _pages_seen[key] = info.pages
        cache.store("pages", key, info.pages)
    return pdf


def _render(rml: str, info: PdfInfo, source: str, pages: int | None) -> bytes:
    from lxml import etree
    from reportlab.platypus.doctemplate import LayoutError
    from z3c.rml import document, platypus

    # A keep-in-frame draws no zero-size flowable unless it says it is one: without
    # this, a bookmark inside a fixed panel (a sidebar, a card) would be lost.
    platypus.OutlineAdd._ZEROSIZE = True

    try:
        root = etree.fromstring(rml.encode("utf-8"), rmlguard.PARSER)
    except etree.XMLSyntaxError as exc:
        # "Opening and ending tag mismatch: nextFrame line 192 and story": the cause is the opening tag.
        opened = re.search(r"mismatch: \S+ line (\d+)", exc.msg)
        line = int(opened.group(1)) if opened else exc.lineno
        raise _engine_error(f"rendered RML is not valid XML: {exc.msg}", source, line) from None
    rmlguard.check(root, info.allowed, source)
    doc = document.Document(root, canvasClass=_canvas_class(info))
    doc.filename = source
    if pages is not None:
        doc.names["lastPage"] = str(pages)
    collect = _Collect()
    logger = logging.getLogger("z3c.rml")
    logger.addHandler(collect)
    output = io.BytesIO()
    try:
        doc.process(output)
    except HandoutError as error:
        raise _as_raised(error) from None
    except LayoutError as exc:
        _raise_ignored(collect, source)  # a tag the engine skipped explains a layout gone wrong best
        raise _overflow(exc, info.template, info.marks) from None
    except (ValueError, TypeError, KeyError, AttributeError, OSError) as exc:
        _raise_ignored(collect, source)
        raise _engine_error(str(exc), source) from exc
    finally:
        logger.removeHandler(collect)
    _raise_ignored(collect, source)
    return output.getvalue()


def _as_raised(error: HandoutError) -> HandoutError:
    """Our error as we raised it, inside a page hook or a flowable.

    ReportLab re-creates an exception raised in its frame and page handlers
    with "handle_frameEnd args=()" before its message (``annotateException``),
    which loses the field and the hint; the error we raised is its context.
    """
    while isinstance(error.__context__, HandoutError):
        error = error.__context__
    return error


#: z3c.rml ends its messages with where in the RML it was: "(file NAME, line 12)".
_WHERE = re.compile(r"\s*\(file [^()]*, line (\d+)\)\s*$")
_MAX_MESSAGE = 300


#: ReportLab's words for a link whose target nothing in the document names.
_NO_TARGET = re.compile(r"undefined destination target for '([^']*)'")


def _engine_error(text: str, source: str, line: int | None = None) -> RenderError:
    """The engine's complaint, with the rendered RML line it names (mapped to the template later)."""
    text = re.sub(r"^handle_\w+ args=\S* ", "", " ".join(text.split()))  # ReportLab's annotateException
    if target := _NO_TARGET.search(text):
        name = target.group(1)
        if name.startswith("ref-"):  # a citation [n] links to its reference in the list
            return RenderError(f"the handout cites reference '{name[4:]}', but this template prints no list of "
                               "references for the citation to link to", file=source,
                               hint="print them in the template: {{ m.references(content, labels) }}")
        return RenderError(f"a link goes to '#{name}', which nothing in the handout is named", file=source,
                           hint=f'name its target with <a name="{name}"/>, or remove the link')
    match = _WHERE.search(text)
    if match:
        text, line = text[: match.start()], int(match.group(1))
    if len(text) > _MAX_MESSAGE:
        text = text[:_MAX_MESSAGE] + "…"
    error = RenderError(f"RML: {text}", file=source)
    error.rml_line = line
    return error


def _raise_ignored(collect: _Collect, source: str) -> None:
    """What z3c.rml only logs (an unknown tag, which it skips) is an error here."""
    if collect.messages:
        error = _engine_error(collect.messages[0], source)
        error.problems[0].hint = "a tag or attribute the page engine does not know: check its spelling"
        raise error
