"""Load and validate content and studio files into typed models.

All problems in a file are collected and reported together, each at the line
and column the user wrote it (pydantic gives the field path, the locating
YAML loader turns it into a position).
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from handouts.errors import ContentError, Problem
from handouts.models import Content, Studio
from handouts.yamlload import LocatedData, load_yaml

Model = TypeVar("Model", bound=BaseModel)


def _fields_at(model: type[BaseModel], loc: tuple) -> list[str]:
    """The field names allowed at ``loc`` (for did-you-mean hints)."""
    current: type[BaseModel] | None = model
    for part in loc[:-1]:
        if current is None or isinstance(part, int):
            continue
        info = current.model_fields.get(part)
        if info is None:
            return []
        current = _model_in(info.annotation)
    return list(current.model_fields) if current else []


def _model_in(annotation) -> type[BaseModel] | None:
    """The BaseModel inside ``X``, ``list[X]`` or ``X | None``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_in(arg)
        if found:
            return found
    return None


#: How to fix a missing or empty field that a handout cannot go without.
FIELD_HINTS = {
    "safety": "list at least one line, e.g. '- Stop or change position if anything hurts.'",
    "sources": "cite at least one reference id from references:, e.g. sources: [koch-2012]",
    "positions": "give the debate at least two views, each with a summary and sources",
    "summary": "say the view (or the handout) in one or two plain sentences",
    "common_ground": "say in a sentence what both views agree on",
    "takeaway": "say in a sentence what this means for the reader",
    "alt": "describe in a sentence what the picture shows, for readers who cannot see it",
}


def _problem(error: dict, located: LocatedData, model: type[BaseModel]) -> Problem:
    # Union members show up in the path ("constrained-str", "dict[...]"); the user wrote neither.
    loc = tuple(part for part in error["loc"]
                if not (isinstance(part, str) and ("[" in part or part == "constrained-str")))
    line, column = located.locate(loc)
    field = ".".join(str(part) for part in loc) or None
    message, hint = error["msg"], None
    if error["type"] == "extra_forbidden":
        allowed = _fields_at(model, loc)
        close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
        message = "unknown field"
        hint = f"did you mean '{close[0]}'?" if close else f"allowed here: {', '.join(allowed)}"
    elif error["type"] == "missing":
        message = "field required"
    elif error["type"] == "too_short" and "min_length" in error.get("ctx", {}):
        need, has = error["ctx"]["min_length"], error["ctx"].get("actual_length", 0)
        message = f"needs at least {need} item{'s' if need > 1 else ''}, has {has}"
    elif error["type"] == "string_pattern_mismatch" and loc and loc[-1] in {"id", "sources"}:
        hint = "use lower-case letters, digits and hyphens"
    if hint is None and loc and error["type"] in {"missing", "too_short", "string_too_short"}:
        hint = FIELD_HINTS.get(str(loc[-1]))
    return Problem(message, located.file, line, column, field, hint)


def validate(located: LocatedData, model: type[Model]) -> Model:
    """Validate parsed YAML, reporting every problem with its position."""
    if not isinstance(located.data, dict):
        raise ContentError(
            "expected a mapping of fields (name: value) at the top of the file",
            file=located.file,
            line=1,
        )
    try:
        return model.model_validate(located.data)
    except ValidationError as exc:
        problems = [_problem(error, located, model) for error in exc.errors()]
        raise ContentError.collected(problems) from None


def _cross_references(located: LocatedData) -> list[Problem]:
    """Source ids must name a reference; reference ids must be unique.

    Read from the raw data, so a dangling id is reported together with any
    schema error in the same file.
    """
    problems = []
    references = located.get(("references",))
    ids = [ref.get("id") for ref in references if isinstance(ref, dict)] if isinstance(references, list) else []
    for index, ref_id in enumerate(ids):
        if ref_id is not None and ref_id in ids[:index]:
            line, column = located.locate(("references", index, "id"))
            problems.append(Problem(f"duplicate reference id '{ref_id}'", located.file, line, column,
                                    f"references.{index}.id", "give each reference its own id"))
    positions = located.get(("sidebar", "positions"))
    for p_index, position in enumerate(positions if isinstance(positions, list) else []):
        sources = position.get("sources") if isinstance(position, dict) else None
        for s_index, source in enumerate(sources if isinstance(sources, list) else []):
            if isinstance(source, str) and source not in ids:
                loc = ("sidebar", "positions", p_index, "sources", s_index)
                line, column = located.locate(loc)
                close = difflib.get_close_matches(source, [str(i) for i in ids], n=1)
                hint = f"did you mean '{close[0]}'?" if close else "add it under references:"
                problems.append(Problem(f"source '{source}' is not in references", located.file,
                                        line, column, ".".join(map(str, loc)), hint))
    return problems


def _missing_image(located: LocatedData) -> list[Problem]:
    name = located.get(("illustration", "file"))
    if not isinstance(name, str) or (located.file.parent / name).is_file():
        return []
    line, column = located.locate(("illustration", "file"))
    return [Problem(f"image not found: {name}", located.file, line, column, "illustration.file",
                    "paths are relative to the content file")]


def content_problems(located: LocatedData) -> tuple[Content | None, list[Problem]]:
    """A parsed content file's model (if valid) and every schema and cross-reference problem."""
    try:
        content, problems = validate(located, Content), []
    except ContentError as error:
        content, problems = None, list(error.problems)
    if isinstance(located.data, dict):
        problems += _cross_references(located) + _missing_image(located)
    return (content if not problems else None), problems


def load_content(file: Path) -> Content:
    """Read a content file; every schema and cross-reference problem at once."""
    content, problems = content_problems(load_yaml(file))
    if problems:
        raise ContentError.collected(problems)
    return content


def load_studio(file: Path) -> Studio:
    """Read studio.yaml (name, contact, colours, fonts, paper, disclaimer)."""
    return validate(load_yaml(file), Studio)
