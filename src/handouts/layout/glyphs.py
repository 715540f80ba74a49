"""Every printed character drawn from a font that has it, checked before rendering.

ReportLab draws a character its font lacks as an empty box, silently. So each
text that will print (content, studio settings, labels, the personal box) is
checked against the body family's coverage first: what the body family lacks
but the wide fallback font has is wrapped in ``<font name="Fallback">`` by the
templates' text filter, and anything else stops the build naming the
character, its code point and the field, before a byte is written. Control
characters are refused too (XML cannot carry most of them); tab, newline and
carriage return print as spaces.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from handouts.errors import GlyphError, Problem
from handouts.layout import fonts

#: Whitespace controls that print as a space.
_SPACES = str.maketrans({"\t": " ", "\n": " ", "\r": " "})
_WORD = re.compile(r"[^ ]+")
HINT = "remove it or set fonts in studio.yaml to a TrueType family that has it"
#: The fix for a character that no font should draw (a control, a direction override).
REMOVE_HINT = "remove it: it usually comes in unseen with text pasted from elsewhere"
_NO_FONT = "is in no font this handout uses"
#: Bidirectional embeddings, overrides and isolates: unseen, they reorder the text around them.
_DIRECTION = frozenset(range(0x202A, 0x202F)) | frozenset(range(0x2066, 0x206A))
_PLAIN = frozenset(range(0x20, 0x7F))
#: Studio fields that name files or settings rather than print.
_STUDIO_SETTINGS = {"logo", "colors", "fonts", "paper", "template", "reading_grade_max", "reading_ease_min",
                    "practice_log"}


def _name(char: str) -> str:
    return f"'{char}' (U+{ord(char):04X})" if char.isprintable() else f"U+{ord(char):04X}"


def _illegal(point: int) -> str | None:
    """Why a code point can never print, or None."""
    if 0xD800 <= point <= 0xDFFF:
        return "is a lone surrogate (the text is not valid Unicode; was it decoded from another encoding?)"
    if point in (0xFFFE, 0xFFFF) or (unicodedata.category(chr(point)) == "Cc" and point not in (9, 10, 13)):
        return "is a control character, which cannot be printed"
    if point in _DIRECTION:
        return "is a direction control, which reorders the text around it without being seen"
    return None


def hint_for(message: str) -> str:
    """How to fix a character problem: a font that has the character, or (for one no font should draw) removing it."""
    return HINT if message.endswith(_NO_FONT) else REMOVE_HINT


@dataclass(frozen=True)
class Glyphs:
    """What the body family and the fallback font can draw."""

    body: frozenset[int]
    fallback: frozenset[int]

    def problem(self, text: str) -> str | None:
        """Why ``text`` cannot print, or None. Registers the fallback font when the text needs it."""
        points = set(map(ord, text.translate(_SPACES)))
        for point in sorted(points - _PLAIN):  # a font may have a glyph for a character no text should hold
            why = _illegal(point)
            if why:
                return f"the character {_name(chr(point))} {why}"
        missing = points - self.body
        if not missing:
            return None
        unknown = missing - self.fallback
        if unknown:
            return f"the character {_name(chr(min(unknown)))} {_NO_FONT}"
        fonts.use_fallback()
        return None

    def body_problem(self, text: str) -> str | None:
        """Why ``text`` cannot print in the body font alone (text inside an SVG picture has no fallback), or None."""
        points = set(map(ord, text.translate(_SPACES))) - self.body
        for point in sorted(points):
            why = _illegal(point) or "is not in the body font, which sets the text inside pictures"
            return f"the character {_name(chr(point))} {why}"
        return None

    def text_filter(self, text: str) -> str:
        """Escaped text as RML: whitespace controls as spaces, runs the body lacks in the fallback font."""
        text = text.translate(_SPACES)
        if self.body.issuperset(map(ord, text)):
            return text
        # Whole words change font, so a word never mixes two designs.
        return _WORD.sub(lambda word: word[0] if self.body.issuperset(map(ord, word[0]))
                         else f'<font name="{fonts.FALLBACK}">{word[0]}</font>', text)

    def font_for(self, text: str) -> str:
        """The one font to set ``text`` in where fonts cannot change mid-line (``<drawString>``)."""
        return fonts.BODY if self.body.issuperset(map(ord, text.translate(_SPACES))) else fonts.FALLBACK


@lru_cache(maxsize=8)
def for_fonts(font_set: fonts.FontSet) -> Glyphs:
    """The coverage of a font set (a character must be in every body face to count as the body's)."""
    faces = (font_set.regular, font_set.bold, font_set.italic, font_set.bold_italic)
    body = frozenset.intersection(*(fonts.coverage(face) for face in faces))
    return Glyphs(body, fonts.coverage(font_set.fallback))


def strings(value: Any, path: tuple = (), skip: frozenset[str] = frozenset()) -> Iterator[tuple[tuple, str]]:
    """Every string in nested dicts and lists, with its path."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in skip:
                yield from strings(item, path + (key,), skip)
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from strings(item, path + (index,), skip)


def problems(glyphs: Glyphs, texts: Iterator[tuple[tuple, str]], file: Path | str | None = None,
             locate=None, prefix: str = "") -> list[Problem]:
    """A problem for each text that cannot print, placed by ``locate(path)`` when given."""
    found = []
    for path, text in texts:
        message = glyphs.problem(text)
        if message:
            line, column = locate(path) if locate else (None, None)
            field = prefix + ".".join(map(str, path))
            found.append(Problem(message, file, line, column, field, hint_for(message)))
    return found


def check(found: list[Problem]) -> None:
    """Stop the build on any unprintable character, all of them listed."""
    if found:
        raise GlyphError.collected(found)


def studio_texts(studio) -> Iterator[tuple[tuple, str]]:
    """The studio settings that print (its name, contact, disclaimer...)."""
    return strings(studio.model_dump(exclude_none=True), skip=frozenset(_STUDIO_SETTINGS))


def _locator(file: Path):
    """Positions in a YAML file, read only when a problem needs one."""
    from handouts.content.yamlload import load_yaml

    return lambda path: load_yaml(file).locate(path)


def check_inputs(glyphs: Glyphs, content, content_file: Path, studio, studio_file: Path, labels: dict) -> None:
    """Every text of a build that prints, each problem at the line the user wrote it."""
    found = problems(glyphs, strings(content.model_dump(exclude_none=True), skip=frozenset({"file"})),
                     content_file, _locator(content_file))
    found += problems(glyphs, studio_texts(studio), studio_file, _locator(studio_file))
    found += label_problems(glyphs, labels)
    found += picture_problems(glyphs, content, content_file, studio, studio_file)
    check(found)


def label_problems(glyphs: Glyphs, labels: dict) -> list[Problem]:
    """Labels, at the catalogue's own line; with a studio's own ``date_format``, the dates it prints too.

    The month names of a studio's catalogue come from its language's CLDR
    data (see ``labels``), so every month is formatted and checked; the
    bundled catalogues' are known to print (and Babel is not loaded for them).
    """
    from handouts.content.labels import format_date, origin
    from handouts.project import bundled_root, is_inside

    catalogue = origin(labels, "date_format")
    own = catalogue is not None and not is_inside(catalogue, bundled_root())
    dates = [format_date(dt.date(2026, month, 28), labels) for month in range(1, 13)] if own else []
    texts = [*strings({key: value for key, value in labels.items()}), *((("date_format",), d) for d in dates)]
    found, seen = [], set()
    for path, text in texts:
        message = glyphs.problem(text)
        if message and (path, message) not in seen:  # twelve dates, one line for a character they lack
            seen.add((path, message))
            file = origin(labels, path[0])
            line, column = _locator(file)(path) if file else (None, None)
            found.append(Problem(message, file, line, column, ".".join(map(str, path)), hint_for(message)))
    return found


def picture_problems(glyphs: Glyphs, content, content_file: Path, studio, studio_file: Path) -> list[Problem]:
    """Text inside SVG pictures and the logo, which prints in the body font only, at the picture's line."""
    from handouts.layout.art import svg_texts
    from handouts.project import unusable

    pictures = [(("illustration", "file"), content_file, content.illustration)] if content.illustration else []
    pictures += [(("sections", index, "picture", "file"), content_file, section.picture)
                 for index, section in enumerate(content.sections) if section.picture]
    named = [(path, file, picture.file) for path, file, picture in pictures]
    named += [(("logo",), studio_file, studio.logo)] if studio.logo else []
    found = []
    for path, file, name in named:
        picture = file.parent / name
        if unusable(picture, file.parent):
            continue  # refused where the picture itself is checked
        for text in svg_texts(picture):
            message = glyphs.body_problem(text)
            if message:
                line, column = _locator(file)(path)
                found.append(Problem(f"{name}: {message} (in the picture's text '{_shown(text)[:40]}')", file,
                                     line, column, ".".join(map(str, path)),
                                     "change the text in the drawing, or convert it to outlines (paths)"))
                break
    return found


def _shown(text: str) -> str:
    return "".join(char if char.isprintable() else f"\\u{ord(char):04x}" for char in text)


def check_personal(glyphs: Glyphs, client: str | None, note: str | None, class_name: str | None = None,
                   file: Path | str | None = None) -> None:
    """The personal box's texts, named by their option and the client they are for."""
    who = f" (client '{_shown(client)}')" if client else ""
    found = []
    for option, text in (("--client", client), ("--note", note), ("class", class_name)):
        message = glyphs.problem(text) if text else None
        if message:
            found.append(Problem(f"{message}{who}", file, field=option, hint=hint_for(message)))
    check(found)
