"""Schema errors in plain words: what is wrong, where, and how to fix it.

pydantic says what failed in a developer's words ("String should match
pattern '^#[0-9A-Fa-f]{6}$'", "Input should be a valid dictionary") and at a
path that names its own union members ("tagline.constrained-str"). Each of
its error types is turned here into a line a studio owner can act on, with a
hint for the field where one helps: ``colors.primary: '#12345' is not a
colour (hint: six hex digits such as #1F4E5F)``. No pydantic wording reaches
the user; an error type not listed below still gets a plain line.
"""

from __future__ import annotations

import difflib

from pydantic import BaseModel

from handouts.content.models import OWN_ERRORS
from handouts.content.yamlload import LocatedData
from handouts.errors import Problem
from handouts.terminal import shown

#: How to fix a field that is missing, empty or of the wrong kind, by its name.
FIELD_HINTS = {
    "safety": "list at least one line, e.g. '- Stop or change position if anything hurts.'",
    "sources": "cite at least one reference id from references:, e.g. sources: [koch-2012]",
    "positions": "give the debate at least two views, each with a summary and sources",
    "summary": "say the view (or the handout) in one or two plain sentences",
    "common_ground": "say in a sentence what both views agree on",
    "takeaway": "say in a sentence what this means for the reader",
    "alt": "describe in a sentence what the picture shows, for readers who cannot see it",
    "name": "the studio's name as it should print, e.g. name: Harbour Light Movement",
    "tagline": "one text, or one per language: en: ..., es: ...",
    "disclaimer": "one text, or one per language: en: ..., es: ...",
    "paper": "letter or a4",
    "papers": "a list of paper sizes, e.g. papers: [letter, a4]",
    "template": "a template name as `handouts templates` lists it, e.g. classic",
    "reading_grade_max": "a school grade from 1 to 20, e.g. reading_grade_max: 8",
    "practice_log": "true or false",
    "logo": "a picture file next to studio.yaml, e.g. logo: logo.svg",
    "regular": "a TrueType file next to studio.yaml, e.g. fonts/MyFont-Regular.ttf",
    "bold": "a TrueType file next to studio.yaml, e.g. fonts/MyFont-Bold.ttf",
    "italic": "a TrueType file next to studio.yaml, e.g. fonts/MyFont-Italic.ttf",
    "bold_italic": "a TrueType file next to studio.yaml, e.g. fonts/MyFont-BoldItalic.ttf",
    "orientation": "portrait or landscape",
    "fixed_pages": "a whole number of pages, e.g. 2",
    "max_pages": "a whole number of pages, e.g. 2",
    "year": "the year of publication, e.g. 2019",
    "personal_box": "points from the top-right corner, with a width (or a left): "
                    "{top: 38, right: 40, width: 200, height: 92}",
    "top": "points down from the page's top edge, e.g. top: 38",
    "right": "points in from the page's right edge, e.g. right: 40",
    "left": "points in from the page's left edge (instead of a width), e.g. left: 54",
    "width": "the box's width in points, e.g. width: 200",
    "height": "the box's height in points, e.g. height: 92",
    "text_scale": "how much larger the box's text is, from 0.8 to 3, e.g. text_scale: 1.5",
    "reviewed": "write the date as year-month-day, e.g. 2026-11-20",
}

#: Fields whose text must follow a pattern: (what the value is not, how to write it).
_PATTERNS = {
    "id": ("an id", "use lower-case letters, digits and hyphens, e.g. constructive-rest"),
    "sources": ("a reference id", "use lower-case letters, digits and hyphens, as under references: (koch-2012)"),
    "template": ("a template name", "lower-case letters, digits and hyphens, as `handouts templates` lists them"),
    "doi": ("a DOI", "write it as 10.1234/abcd, without https://doi.org/ in front"),
    "orientation": ("an orientation", "portrait or landscape"),
}
_WRONG_KIND = {"string_type", "list_type", "model_type", "dict_type", "model_attributes_type"}


def model_in(annotation) -> type[BaseModel] | None:
    """The BaseModel inside ``X``, ``list[X]`` or ``X | None``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = model_in(arg)
        if found:
            return found
    return None


def _fields_at(model: type[BaseModel], loc: tuple) -> list[str]:
    """The field names allowed at ``loc`` (for did-you-mean hints)."""
    current: type[BaseModel] | None = model
    for part in loc[:-1]:
        if current is None or isinstance(part, int):
            continue
        info = current.model_fields.get(part)
        if info is None:
            return []
        current = model_in(info.annotation)
    return list(current.model_fields) if current else []


def _walk_loc(error: dict, data) -> tuple[tuple, tuple[str, object] | None]:
    """The path the user wrote, and the first union member pydantic named on the way (with the value there).

    A part of pydantic's path that is not in the data (``constrained-str``,
    ``dict[...]``, ``[key]``) is pydantic's own; every key the user wrote is
    kept, whatever it holds (``notes[1]``).
    """
    loc, kept, member, value = error["loc"], [], None, data
    for index, part in enumerate(loc):
        if isinstance(value, dict) and part in value:
            kept.append(part)
            value = value[part]
        elif isinstance(value, list) and isinstance(part, int) and 0 <= part < len(value):
            kept.append(part)
            value = value[part]
        elif index == len(loc) - 1 and error["type"] == "missing":
            kept.append(part)
        elif part != "[key]" and member is None:
            member = (str(part), value)
    return tuple(kept), member


def user_loc(error: dict, data) -> tuple:
    """The path of an error as the user wrote it (see ``_walk_loc``)."""
    return _walk_loc(error, data)[0]


def _fits(member: tuple[str, object] | None) -> bool:
    """Whether an error comes from the union member the value was meant for (fields for a mapping, else text)."""
    if member is None:
        return True
    tag, value = member
    return tag.startswith("dict[") == isinstance(value, dict)


def _kind(value) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "yes/no"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "fields (name: value)"
    return "text"


def _value(value) -> str:
    """A value as it is named in a message: text quoted and cut, anything else by its kind."""
    if isinstance(value, str):
        return f"'{shown(value, 60)}'"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return shown(value, 30)
    return _kind(value)


def _wrong_kind(error_type: str, value, loc: tuple) -> tuple[str, str]:
    """A message and hint for a value of the wrong shape (text for a list, a list for fields...)."""
    got = _kind(value)
    if error_type == "string_type":
        if value is None:
            return "is empty", "write the text after the colon, or remove the line"
        return (f"expected text, not {got}",
                FIELD_HINTS.get(_name(loc)) if _name(loc) in ("tagline", "disclaimer")
                else "to write text that starts with '- ', '[' or '{', put it in quotes")
    if error_type == "list_type":
        items = str(loc[-1]) if loc and not isinstance(loc[-1], int) else "items"
        return f"expected a list of {items}, not {got}", "write each item on its own line, starting with '- '"
    return f"expected fields (name: value), not {got}", "indent the fields under this one, each as 'name: value'"


def _name(loc: tuple) -> str:
    """The field's own name: the last name in its path (``papers.1`` -> ``papers``)."""
    return next((str(part) for part in reversed(loc) if isinstance(part, str)), "")


def _number(kind: str, value, ctx: dict, name: str) -> tuple[str, str | None]:
    """Numbers: the wrong kind of value, or one out of range."""
    hint = FIELD_HINTS.get(name) or ("write a whole number, e.g. 2" if kind.startswith("int_") else "write a number")
    if kind.startswith("int_"):
        return (f"{_value(value)} is not a whole number" if isinstance(value, (str, float)) and
                not isinstance(value, bool) else f"expected a whole number, not {_kind(value)}"), hint
    if kind.startswith("float_") or kind == "finite_number":
        return (f"{_value(value)} is not a number" if isinstance(value, str)
                else f"expected a number, not {_kind(value)}"), hint
    bound = {"greater_than_equal": ("ge", "the smallest allowed is"),
             "less_than_equal": ("le", "the largest allowed is"),
             "greater_than": ("gt", "it must be more than"), "less_than": ("lt", "it must be less than")}[kind]
    limit = ctx.get(bound[0])
    limit = f"{limit:g}" if isinstance(limit, (int, float)) else limit
    return f"{_value(value)} is out of range: {bound[1]} {limit}", hint


def _plain(error: dict, loc: tuple, model: type[BaseModel]) -> tuple[str, str | None]:
    """pydantic's error as (message, hint) in our words."""
    kind, ctx, value, name = error["type"], error.get("ctx") or {}, error.get("input"), _name(loc)
    hint = FIELD_HINTS.get(name)
    if kind in OWN_ERRORS:
        return error["msg"], ctx.get("hint")
    if kind == "extra_forbidden":
        allowed = _fields_at(model, loc)
        close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
        return "unknown field", (f"did you mean '{close[0]}'?" if close else f"allowed here: {', '.join(allowed)}")
    if kind == "missing":
        return "field required", hint
    if kind in _WRONG_KIND:
        return _wrong_kind(kind, value, loc)
    if kind == "string_too_short":
        return "is empty", "write the text after the colon, or remove the line"
    if kind == "string_too_long":
        return f"is {len(value)} characters long; at most {ctx.get('max_length')} are allowed", "shorten it"
    if kind in ("too_short", "too_long"):
        need = ctx.get("min_length") if kind == "too_short" else ctx.get("max_length")
        word = "at least" if kind == "too_short" else "at most"
        return f"needs {word} {need} item{'s' if need != 1 else ''}, has {ctx.get('actual_length', 0)}", hint
    if kind == "string_pattern_mismatch":
        what, how = _PATTERNS.get(name, ("written the way this field needs", hint))
        return f"{_value(value)} is not {what}", how
    if kind == "literal_error":
        what = "a paper size the tool prints" if name in ("paper", "papers") else f"one of {ctx.get('expected')}"
        return f"{_value(value)} is not {what}", hint
    if kind.startswith(("int_", "float_")) or kind == "finite_number" or kind in (
            "greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return _number(kind, value, ctx, name)
    if kind.startswith("bool_"):
        return f"{_value(value)} is not yes or no", "true or false"
    if kind.startswith(("date_", "datetime_")):
        return f"{_value(value)} is not a date", "write the date as year-month-day, e.g. 2026-11-20"
    if kind in ("value_error", "assertion_error") and ctx.get("error") is not None:
        return str(ctx["error"]), hint
    if kind == "invalid_key":
        return f"a field name must be text, not {_kind(value)}", "write each field as 'name: value'"
    return f"{_value(value)} is not a value this field takes", hint


def _comment_hint(located: LocatedData, line: int | None) -> str | None:
    """For ``primary: #123456``: YAML read the '#' as the start of a comment, so the value came out empty."""
    text = located.lines[line - 1] if line and line <= len(located.lines) else ""
    key, colon, after = text.partition(":")
    if not colon or not after.strip().startswith("#"):
        return None
    return (f"a '#' after the colon starts a YAML comment, so nothing is left of the value: put it in quotes, "
            f"e.g. {key.strip()}: \"{shown(after.strip(), 40)}\"")


def problems(errors: list[dict], located: LocatedData, model: type[BaseModel]) -> list[Problem]:
    """Each of pydantic's errors as one Problem at the line and column the user wrote it; unions told once."""
    found, seen = [], set()
    for error in errors:
        loc, member = _walk_loc(error, located.data)
        if not _fits(member) and any(_fits(_walk_loc(other, located.data)[1]) for other in errors
                                     if user_loc(other, located.data)[:len(loc)] == loc):
            continue  # the union member the value was not meant for
        message, hint = _plain(error, loc, model)
        line, column = located.locate(loc)
        if message == "is empty":
            hint = _comment_hint(located, line) or hint
        field = ".".join(shown(part, 60) for part in loc) or None  # a key may hold escape sequences
        if (field, message) not in seen:
            seen.add((field, message))
            found.append(Problem(message, located.file, line, column, field, hint))
    return found
