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


def _problem(error: dict, located: LocatedData, model: type[BaseModel]) -> Problem:
    loc = tuple(part for part in error["loc"] if not (isinstance(part, str) and "[" in part))
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
    elif error["type"] == "string_pattern_mismatch" and loc and loc[-1] in {"id", "sources"}:
        hint = "use lower-case letters, digits and hyphens"
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


def _cross_references(content: Content, located: LocatedData) -> list[Problem]:
    """Source ids must name a reference; reference ids must be unique."""
    problems = []
    ids = [reference.id for reference in content.references]
    for index, ref_id in enumerate(ids):
        if ref_id in ids[:index]:
            line, column = located.locate(("references", index, "id"))
            problems.append(Problem(f"duplicate reference id '{ref_id}'", located.file, line, column))
    if content.sidebar:
        for p_index, position in enumerate(content.sidebar.positions):
            for s_index, source in enumerate(position.sources):
                if source not in ids:
                    loc = ("sidebar", "positions", p_index, "sources", s_index)
                    line, column = located.locate(loc)
                    close = difflib.get_close_matches(source, ids, n=1)
                    hint = f"did you mean '{close[0]}'?" if close else "add it under references:"
                    problems.append(
                        Problem(
                            f"source '{source}' is not in references",
                            located.file, line, column,
                            ".".join(map(str, loc)), hint,
                        )
                    )
    return problems


def load_content(file: Path) -> Content:
    """Read a content file; every schema and cross-reference problem at once."""
    located = load_yaml(file)
    content = validate(located, Content)
    problems = _cross_references(content, located)
    if content.illustration:
        image = file.parent / content.illustration.file
        if not image.is_file():
            line, column = located.locate(("illustration", "file"))
            problems.append(
                Problem(
                    f"image not found: {content.illustration.file}",
                    file, line, column, "illustration.file",
                    "paths are relative to the content file",
                )
            )
    if problems:
        raise ContentError.collected(problems)
    return content


def load_studio(file: Path) -> Studio:
    """Read studio.yaml (name, contact, colours, fonts, paper, disclaimer)."""
    return validate(load_yaml(file), Studio)
