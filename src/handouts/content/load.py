"""Load and validate content and studio files into typed models.

All problems in a file are collected and reported together, each at the line
and column the user wrote it (pydantic gives the field path, the locating
YAML loader turns it into a position).
"""

from __future__ import annotations

import difflib
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from handouts.content import schema_errors
from handouts.content.links import link_problem
from handouts.content.markup import cited_ids, link_targets
from handouts.content.models import Content, Studio
from handouts.content.schema_errors import model_in, user_loc  # noqa: F401  (model_in: part of this module's API)
from handouts.content.yamlload import LocatedData, load_yaml
from handouts.errors import ContentError, Problem
from handouts.layout.glyphs import strings
from handouts.project import unusable
from handouts.terminal import shown

Model = TypeVar("Model", bound=BaseModel)


def _take_as_written(located: LocatedData, errors: list[dict]) -> bool:
    """Put the text the user wrote where a number or yes/no stands in for text.

    ``title: 2026`` is the text "2026", and ``phone: 01234567`` keeps its
    leading zero. Returns whether anything was replaced (then validate again).
    """
    replaced = False
    for error in errors:
        loc = user_loc(error, located.data)
        if error["type"] == "string_type" and loc in located.scalars:
            parent = located.get(loc[:-1])
            parent[loc[-1]] = located.scalars.pop(loc)
            replaced = True
    return replaced


def validate(located: LocatedData, model: type[Model]) -> Model:
    """Validate parsed YAML, reporting every problem with its position."""
    if not isinstance(located.data, dict):
        raise ContentError(
            "expected a mapping of fields (name: value) at the top of the file",
            file=located.file,
            line=1,
        )
    try:
        try:
            return model.model_validate(located.data)
        except ValidationError as exc:
            if not _take_as_written(located, exc.errors()):
                raise
            return model.model_validate(located.data)
    except ValidationError as exc:
        raise ContentError.collected(schema_errors.problems(exc.errors(), located, model)) from None


def _citations(located: LocatedData, ids: list) -> list[Problem]:
    """Every ``[@id]`` in the text must name a reference."""
    problems = []
    for path, text in strings(located.data):
        if path[:1] == ("references",):
            continue
        for ref in cited_ids(text):
            if ref not in ids:
                line, column = located.locate(path)
                close = difflib.get_close_matches(ref, [str(i) for i in ids], n=1)
                hint = f"did you mean '[@{close[0]}]'?" if close else "add it under references:, or correct the id"
                problems.append(Problem(f"cites '[@{ref}]', which is not in references", located.file,
                                        line, column, ".".join(map(str, path)), hint))
    return problems


def _cross_references(located: LocatedData) -> list[Problem]:
    """Source ids and citations must name a reference; reference ids must be unique.

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
    return problems + _citations(located, ids)


def outside(name: str) -> bool:
    """Whether a path given in a YAML file is absolute or climbs out of that file's folder (either OS's way)."""
    posix = PurePosixPath(name.replace("\\", "/"))
    return posix.is_absolute() or bool(PureWindowsPath(name).drive) or ".." in posix.parts


#: Picture formats a handout can print (SVG stays vector).
IMAGE_TYPES = (".svg", ".png", ".jpg", ".jpeg")


def picture_fields(content: Content) -> list[tuple[tuple, str]]:
    """Each picture of a handout: its path in the file (``("illustration", "file")``...) and its file name."""
    found = [(("illustration", "file"), content.illustration.file)] if content.illustration else []
    found += [(("sections", index, "picture", "file"), section.picture.file)
              for index, section in enumerate(content.sections) if section.picture]
    return found


def picture_problems(file: Path, content: Content) -> list[Problem]:
    """Corrupt, truncated or sizeless pictures, each at its line in ``file``.

    Run once the handout's fonts are registered: SVG text is measured with them.
    """
    from handouts.layout.art import picture_size

    problems = []
    for path, name in picture_fields(content):
        try:
            width, height = picture_size(file.parent / name)
            broken = None if width > 0 and height > 0 else "the picture has no size"
            hint = None
        except ContentError as error:
            broken, hint = error.problems[0].message, error.problems[0].hint
        if broken is not None:
            line, column = load_yaml(file).locate(path)
            problems.append(Problem(
                f"{name}: {broken}", file, line, column, ".".join(map(str, path)),
                hint or "open it in an image editor and save it again (an SVG needs a width and height or a viewBox)"))
    return problems


def _raw_picture_paths(located: LocatedData) -> list[tuple[tuple, str]]:
    """Picture paths as written, read from the raw data (so they are checked even when the schema fails)."""
    found = [("illustration", "file")]
    sections = located.get(("sections",))
    found += [("sections", index, "picture", "file") for index in range(len(sections))] \
        if isinstance(sections, list) else []
    return [(path, name) for path in found if isinstance(name := located.get(path), str)]


def _image_problems(located: LocatedData) -> list[Problem]:
    """Every picture must be a picture file inside the content's own folder."""
    problems, folder = [], located.file.parent
    for field_path, name in _raw_picture_paths(located):
        path = folder / name
        message, hint = None, "paths are relative to the content file, e.g. images/rest.svg"
        reason = "leads outside" if outside(name) else unusable(path, folder)
        if reason and reason.startswith("leads outside"):
            link = " (it is a link to a file elsewhere)" if not outside(name) else ""
            message = f"image path '{shown(name, 80)}' leads outside the content folder{link}"
            hint = f"put the picture in {folder / 'images'} and write images/<name>"
        elif reason == "not found":
            message = f"image not found: {shown(name, 80)}"
        elif reason:
            message, hint = f"image '{shown(name, 80)}' {reason}", "name a picture file (SVG, PNG or JPEG)"
        elif path.suffix.lower() not in IMAGE_TYPES:
            message, hint = f"not a picture format a handout can print: {shown(name, 80)}", "use SVG, PNG or JPEG"
        if message is not None:
            line, column = located.locate(field_path)
            problems.append(Problem(message, located.file, line, column, ".".join(map(str, field_path)), hint))
    return problems


def link_problems(located: LocatedData) -> list[Problem]:
    """Every Markdown link must go to a web page, an email address or a phone number (see ``links``)."""
    problems = []
    for path, text in strings(located.data, skip=frozenset({"file", "url", "doi"})):
        for target in link_targets(text):
            problem = link_problem(target)
            if problem:
                line, column = located.locate(path)
                problems.append(Problem(problem[0], located.file, line, column, ".".join(map(str, path)), problem[1]))
    return problems


def content_problems(located: LocatedData) -> tuple[Content | None, list[Problem]]:
    """A parsed content file's model (if valid) and every schema and cross-reference problem."""
    try:
        content, problems = validate(located, Content), list(located.problems)
    except ContentError as error:
        content, problems = None, located.problems + error.problems
    if isinstance(located.data, dict):
        problems += _cross_references(located) + _image_problems(located) + link_problems(located)
    return (content if not problems else None), problems


def load_content(file: Path) -> Content:
    """Read a content file; every schema and cross-reference problem at once."""
    content, problems = content_problems(load_yaml(file, strict=False))
    if problems:
        raise ContentError.collected(problems)
    return content


def load_studio(file: Path) -> Studio:
    """Read studio.yaml (name, contact, colours, fonts, paper, disclaimer)."""
    return validate(load_yaml(file), Studio)
