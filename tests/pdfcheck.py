"""Reading a built PDF the way a careful reviewer would: words with their sizes and places.

Layout tests ask what a reader gets on paper: which page a step is on, how
big the type is, whether two words sit on top of each other, how close text
comes to the edge of the paper, whether every font is embedded.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
from pypdf import PdfReader

TOLERANCE = 0.6  # points two words may touch without overlapping


@dataclass(frozen=True)
class Word:
    text: str
    page: int  # 1-based
    size: float
    x0: float
    x1: float
    top: float  # from the top of the page
    bottom: float


def words(pdf: Path | bytes) -> list[Word]:
    """Every word of the PDF, in the order the page draws them, with its size and box."""
    data = pdf if isinstance(pdf, bytes) else Path(pdf).read_bytes()
    found = []
    with pdfplumber.open(io.BytesIO(data)) as document:
        for number, page in enumerate(document.pages, 1):
            for word in page.extract_words(extra_attrs=["size"], use_text_flow=True, keep_blank_chars=False):
                found.append(Word(word["text"], number, round(word["size"], 2), word["x0"], word["x1"],
                                  word["top"], word["bottom"]))
    return found


def page_sizes(pdf: Path | bytes) -> list[tuple[float, float]]:
    data = pdf if isinstance(pdf, bytes) else Path(pdf).read_bytes()
    reader = PdfReader(io.BytesIO(data))
    return [(float(p.mediabox.width), float(p.mediabox.height)) for p in reader.pages]


def find(all_words: list[Word], text: str, count: int = 7) -> list[Word]:
    """The first word of each place where the first ``count`` words of ``text`` (Markdown and citations left out) appear."""
    plain = re.sub(r"\s*\[@[^\]]*\]", "", text).replace("**", "").replace("*", "")
    wanted = [w.strip(".,:;!?*()[]\"'") for w in plain.split()[:count]]
    hits = []
    for index in range(len(all_words) - len(wanted) + 1):
        run = all_words[index:index + len(wanted)]
        if [w.text.strip(".,:;!?*()[]\"'") for w in run] == wanted:
            hits.append(run[0])
    return hits


def overlaps(all_words: list[Word]) -> list[tuple[Word, Word]]:
    """Pairs of words on one page whose boxes overlap (more than touch)."""
    clashes = []
    by_page: dict[int, list[Word]] = {}
    for word in all_words:
        by_page.setdefault(word.page, []).append(word)
    for page_words in by_page.values():
        ordered = sorted(page_words, key=lambda w: w.top)
        for i, first in enumerate(ordered):
            for second in ordered[i + 1:]:
                if second.top >= first.bottom - TOLERANCE:
                    break
                if min(first.x1, second.x1) - max(first.x0, second.x0) > TOLERANCE and \
                        min(first.bottom, second.bottom) - max(first.top, second.top) > TOLERANCE:
                    clashes.append((first, second))
    return clashes


def unembedded_fonts(pdf: Path | bytes) -> set[str]:
    """Fonts the PDF names but does not carry (a reader's machine would substitute them)."""
    data = pdf if isinstance(pdf, bytes) else Path(pdf).read_bytes()
    reader = PdfReader(io.BytesIO(data))
    missing = set()

    def visit(resources):
        fonts = (resources or {}).get("/Font") or {}
        for font in fonts.values():
            font = font.get_object()
            descendants = [d.get_object() for d in font.get("/DescendantFonts", [])] or [font]
            for each in descendants:
                descriptor = each.get("/FontDescriptor")
                descriptor = descriptor.get_object() if descriptor else {}
                if not any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                    missing.add(str(font.get("/BaseFont")))
        for xobject in ((resources or {}).get("/XObject") or {}).values():
            xobject = xobject.get_object()
            if xobject.get("/Subtype") == "/Form":
                visit(xobject.get("/Resources"))

    for page in reader.pages:
        visit(page.get("/Resources"))
    return missing


def links(pdf: Path | bytes) -> list[str]:
    """Every URI a link on any page points to."""
    data = pdf if isinstance(pdf, bytes) else Path(pdf).read_bytes()
    reader = PdfReader(io.BytesIO(data))
    found = []
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action and "/URI" in action:
                found.append(str(action["/URI"]))
    return found


def raw_text(pdf: Path | bytes, page: int) -> str:
    """One page's text in the order its content stream draws it (what copy-paste and pdftotext -raw give)."""
    data = pdf if isinstance(pdf, bytes) else Path(pdf).read_bytes()
    return " ".join(PdfReader(io.BytesIO(data)).pages[page - 1].extract_text().split())
