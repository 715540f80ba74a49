"""Markdown in content, turned into RML inline markup.

Content is data, never template source: every character of it is escaped
for XML here, so ``&``, ``<tag>`` and ``{{ }}`` print literally. Only the
small Markdown subset a handout needs is understood: paragraphs, **bold**,
*italic*, ``code`` and [links](https://...).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from xml.sax.saxutils import escape

from markupsafe import Markup
from markdown_it import MarkdownIt

#: Turns escaped text into RML, e.g. wrapping characters the body font lacks
#: in a fallback font. The identity until fonts are known.
TextFilter = Callable[[str], str]


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    # "zero" turns every rule off; a list or heading in a body stays plain text.
    return MarkdownIt("zero").enable(["emphasis", "link", "escape", "backticks", "newline"])


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


def _inline(children, text_filter: TextFilter) -> str:
    out = []
    for token in children:
        if token.type in ("text", "code_inline"):
            out.append(text_filter(escape(token.content)))
        elif token.type in ("softbreak", "hardbreak"):
            out.append(" " if token.type == "softbreak" else "<br/>")
        else:
            out.append(_tag_for(token)[0])
    return "".join(out)


def paragraphs(text: str | None, text_filter: TextFilter = str) -> list[Markup]:
    """Markdown text as a list of RML paragraph bodies (inline markup only)."""
    if not text:
        return []
    tokens = _parser().parse(text)
    return [
        Markup(_inline(token.children or [], text_filter))
        for token in tokens
        if token.type == "inline"
    ]


def inline(text: str | None, text_filter: TextFilter = str) -> Markup:
    """Markdown text as one RML paragraph body (paragraphs joined by a break)."""
    return Markup("<br/><br/>".join(paragraphs(text, text_filter)))


def plain(text: str | None, text_filter: TextFilter = str) -> Markup:
    """Text printed exactly as written: escaped, no Markdown."""
    return Markup(text_filter(escape(text or "")))


def strip(text: str | None) -> str:
    """Markdown reduced to its words (for readability checks and metadata)."""
    if not text:
        return ""
    out = []
    for token in _parser().parse(text):
        if token.type == "inline":
            out.append("".join(c.content for c in token.children or [] if c.type in ("text", "code_inline")))
    return "\n\n".join(out)
