"""Markdown in content, turned into RML inline markup.

Content is data, never template source: every character of it is escaped
for XML here, so ``&``, ``<tag>`` and ``{{ }}`` print literally. Only the
small Markdown subset a handout needs is understood: paragraphs, **bold**,
*italic*, ``code`` and [links](https://...), plus citations in Pandoc's
syntax, ``[@koch-2012]`` or ``[@juker-1998; @hu-2011]``, which print as the
references' numbers, each a link to its entry in the list of sources.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from xml.sax.saxutils import escape

from markdown_it import MarkdownIt
from markupsafe import Markup

#: Turns escaped text into RML, e.g. wrapping characters the body font lacks
#: in a fallback font. The identity until fonts are known.
TextFilter = Callable[[str], str]
#: Turns the reference ids of one citation into RML (see ``citation_links``).
Cite = Callable[[list[str]], str]

#: ``[@id]`` or ``[@id; @other]``: a citation of one or more references.
CITATION = re.compile(r"\[(@[a-z0-9][a-z0-9-]*(?:\s*[;,]\s*@[a-z0-9][a-z0-9-]*)*)\]")


#: A citation with the space before it, as ``strip`` drops it ("hurts [@a]." -> "hurts.").
_CITED = re.compile(r"\s*" + CITATION.pattern)


def cited_ids(text: str | None) -> list[str]:
    """The reference ids ``text`` cites, in order, each once."""
    found = [ref.lstrip("@") for match in CITATION.finditer(text or "")
             for ref in re.split(r"\s*[;,]\s*", match.group(1))]
    return list(dict.fromkeys(found))


def citation_links(numbers: dict[str, int]) -> Cite:
    """A ``Cite`` printing ``[3, 4]``, each number a link to ``#ref-<id>`` (an id not in ``numbers`` as ``?``)."""
    def cite(ids: list[str]) -> str:
        links = [f'<a href="#ref-{escape(ref)}">{numbers[ref]}</a>' if ref in numbers else "?" for ref in ids]
        return f"[{', '.join(links)}]"

    return cite


def _text(content: str, text_filter: TextFilter, cite: Cite | None) -> str:
    """Escaped, filtered text, with its citations as ``cite`` prints them (or as written without one)."""
    if cite is None:
        return text_filter(escape(content))
    out, at = [], 0
    for match in CITATION.finditer(content):
        out.append(text_filter(escape(content[at:match.start()])))
        out.append(cite(cited_ids(match.group(0))))
        at = match.end()
    out.append(text_filter(escape(content[at:])))
    return "".join(out)


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    # "zero" turns every rule off; a list or heading in a body stays plain text.
    return MarkdownIt("zero").enable(["emphasis", "link", "escape", "backticks", "newline"])


@lru_cache(maxsize=1)
def _link_finder() -> MarkdownIt:
    """The same parser, taking every link target as written (none refused or percent-encoded): for checking them."""
    parser = MarkdownIt("zero").enable(["link", "escape"])
    parser.validateLink = lambda url: True
    parser.normalizeLink = lambda url: url
    return parser


def link_targets(text: str | None) -> list[str]:
    """The target of every Markdown link in ``text``, as written (``[notes](pdf:/x)`` -> ``pdf:/x``)."""
    if not text or "](" not in text:
        return []
    return [child.attrs.get("href", "") for token in _link_finder().parse(text) if token.type == "inline"
            for child in token.children or [] if child.type == "link_open"]


def _tag_for(token) -> tuple[str, str]:
    if token.type == "strong_open":
        return "<b>", ""
    if token.type == "em_open":
        return "<i>", ""
    if token.type == "link_open":
        href = escape(token.attrs.get("href", ""), {'"': "&quot;"})
        return f'<a href="{href}"><u>', ""
    closing = {"strong_close": "</b>", "em_close": "</i>", "link_close": "</u></a>"}
    return closing.get(token.type, ""), ""


def _inline(children, text_filter: TextFilter, cite: Cite | None = None) -> str:
    out = []
    for token in children:
        if token.type == "text":
            out.append(_text(token.content, text_filter, cite))
        elif token.type == "code_inline":
            out.append(text_filter(escape(token.content)))
        elif token.type in ("softbreak", "hardbreak"):
            out.append(" " if token.type == "softbreak" else "<br/>")
        else:
            out.append(_tag_for(token)[0])
    return "".join(out)


def paragraphs(text: str | None, text_filter: TextFilter = str, cite: Cite | None = None) -> list[Markup]:
    """Markdown text as a list of RML paragraph bodies (inline markup only)."""
    if not text:
        return []
    tokens = _parser().parse(text)
    return [
        Markup(_inline(token.children or [], text_filter, cite))
        for token in tokens
        if token.type == "inline"
    ]


def inline(text: str | None, text_filter: TextFilter = str, cite: Cite | None = None) -> Markup:
    """Markdown text as one RML paragraph body (paragraphs joined by a break)."""
    return Markup("<br/><br/>".join(paragraphs(text, text_filter, cite)))


def plain(text: str | None, text_filter: TextFilter = str) -> Markup:
    """Text printed exactly as written: escaped, no Markdown."""
    return Markup(text_filter(escape(text or "")))


def strip(text: str | None) -> str:
    """Markdown reduced to its words, citations left out (for readability checks and metadata)."""
    if not text:
        return ""
    out = []
    for token in _parser().parse(text):
        if token.type == "inline":
            words = "".join(c.content for c in token.children or [] if c.type in ("text", "code_inline"))
            out.append(_CITED.sub("", words))
    return "\n\n".join(out)
