"""Is a handout right, fair and readable? What ``handouts check`` and every build ask.

A content file is checked for its schema and cross-references (the same
validation as a build), then for what a reader needs: every client-facing
block within the studio's reading level for its language, a debate whose
views get about the same space, references that are cited, a disclaimer in
the handout's language, and what an editor asks (``editorial``). The rules
read the file's raw data, so a file with a schema error is still measured
and every problem is listed in one run, each at the line the user wrote it.
A build only warns on a block that is hard to read; ``handouts check`` calls
it an error. Nothing here prints.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from handouts.content import editorial, readability
from handouts.content.labels import missing_labels
from handouts.content.load import content_problems, validate
from handouts.content.markup import cited_ids, strip
from handouts.content.models import Content, Studio
from handouts.content.yamlload import LocatedData, PathKey, load_yaml
from handouts.errors import ContentError, Problem
from handouts.layout import glyphs
from handouts.project import Project

#: The longest view of the debate may have at most this many times the words of the shortest.
BALANCE_RATIO = 1.33
_QUOTE_CHARS = 70


@dataclass(frozen=True)
class Checked:
    """One content file's model (when it is valid) and its problems."""

    file: Path
    content: Content | None
    problems: list[Problem]
    located: LocatedData | None = None  # the raw data, for the project's checks

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]


@dataclass(frozen=True)
class Report:
    """What ``handouts check`` found: the files it read and every problem in them."""

    files: list[Path]
    problems: list[Problem]

    def failed(self, strict: bool = False) -> bool:
        """Errors fail a check; with ``strict``, warnings do too."""
        return any(strict or p.severity == "error" for p in self.problems)


def check_file(file: Path, studio: Studio | None, studio_file: Path | None = None,
               project: Project | None = None, *, reading: str = "warning") -> Checked:
    """Every problem of one content file, measured against the studio's settings.

    With a ``project``, the label catalogue of the content's language is
    checked too (a missing label prints in English). ``reading`` is the
    severity of a block harder to read than the studio allows: a warning for
    a build, an error for ``check``.
    """
    try:
        located = load_yaml(file, strict=False)
    except ContentError as error:
        return Checked(file, None, list(error.problems))
    content, problems = content_problems(located)
    if isinstance(located.data, dict):
        lang = content.lang if content else str(located.get(("lang",), "en"))
        problems += _balance(located) + _uncited(located)
        if not any(problem.field == "lang" for problem in problems):  # what depends on the language, if it is one
            problems += _grades(located, lang, studio, reading)
            if studio is not None and studio_file is not None:
                problems += _disclaimer(located, lang, studio, studio_file)
            if project is not None:
                problems += _labels(located, lang, project)
    problems.sort(key=_reading_order(file))
    return Checked(file, content, problems, located)


@dataclass(frozen=True)
class Checking:
    """What the project-wide checks see: the studio, its settings and every content file checked."""

    project: Project
    studio: Studio | None
    studio_file: Path
    checked: list[Checked]
    templates: list[str] | None = None  # the layouts to lay content out in (None: every one)


def _editorial(checking: Checking) -> list[Problem]:
    """What an editor asks of each file (a "get help" line, sources, full references): ``check`` only."""
    problems = []
    for item in checking.checked:
        if item.located is not None and isinstance(item.located.data, dict):
            lang = item.content.lang if item.content else str(item.located.get(("lang",), "en"))
            told = {problem.field for problem in item.problems}
            # A view the schema already faults for its sources: is not told twice.
            problems += [problem for problem in editorial.file_problems(item.located, lang, checking.project)
                         if f"{problem.field}.sources" not in told]
    return problems


def _languages_agree(checking: Checking) -> list[Problem]:
    return editorial.languages_agree([item.file for item in checking.checked])


def _names_agree(checking: Checking) -> list[Problem]:
    """A file ``<id>.<lang>.yaml`` whose ``id:`` or ``lang:`` says otherwise: its output is named by what it
    holds, so it may replace another handout's, and looking it up by its name finds it under the wrong id."""
    problems, folders = [], {layer / "content" for layer in checking.project.layers}
    for item in checking.checked:
        named = item.file.name.removesuffix(".yaml").split(".")
        if item.content is None or len(named) != 2 or item.file.parent not in folders:
            continue  # only content/ is looked up by name; a file given by its path may be named anything
        written = {"id": item.content.id, "lang": item.content.lang}
        for field, in_name in zip(("id", "lang"), named):
            if written[field].lower() != in_name.lower():
                right = ".".join(written.values()) + ".yaml"
                problems.append(_problem(
                    item.located, (field,), f"'{written[field]}' is not the {field} in the file name "
                    f"{item.file.name} ('{in_name}'): the PDF is named after '{written[field]}'",
                    f"write {field}: {in_name}, or rename the file to {right}", "warning"))
    return problems


#: Checks across the project, after each file's own: each takes a Checking, returns problems.
def _layouts(checking: Checking) -> list[Problem]:
    """Each file without errors, laid out in the layouts asked for: what does not fit, as a build would say it."""
    if checking.studio is None:
        return []
    return [problem for item in checking.checked if not item.errors
            for problem in layout_problems(checking.project, item.file, checking.templates)]


PROJECT_CHECKS = [_editorial, _languages_agree, _names_agree, _layouts]


def check_project(project: Project, targets: list[str] | None = None, templates: list[str] | None = None) -> Report:
    """Check the named content (ids or paths), or all of the studio's and the bundled content.

    Each file gets ``check_file`` (a hard-to-read block is an error here),
    then every check of PROJECT_CHECKS runs over them all; among them, the
    content without errors is laid out in each of ``templates`` (all, when
    none are named), so a layout that cannot hold it is reported before
    anyone prints, in the words a build would use.
    """
    from handouts.layout.templating import find_template

    for name in templates or []:  # a layout asked for by name that does not exist stops the check at once
        find_template(project, name)
    studio_file = project.studio_file()
    studio, problems = None, []
    try:
        studio = validate(load_yaml(studio_file), Studio)
    except ContentError as error:
        problems += error.problems
    files = content_files(project, targets)
    checking = Checking(project, studio, studio_file,
                        [check_file(file, studio, studio_file, project, reading="error") for file in files], templates)
    problems += [problem for item in checking.checked for problem in item.problems]
    for rule in PROJECT_CHECKS:
        problems += rule(checking)
    unique = {(p.severity, str(p)): p for p in problems}
    order = {str(file): index for index, file in enumerate(files)}
    return Report(files, sorted(unique.values(), key=lambda p: (order.get(str(p.file), -1), p.line or 0,
                                                                 p.column or 0)))


def _reading_order(file: Path):
    """Sort key: the file's own problems by line and column, others (studio.yaml) after them."""
    return lambda p: (p.file != file, p.line or 0, p.column or 0)


def layout_problems(project: Project, file: Path, templates: list[str] | None = None) -> list[Problem]:
    """Lay ``file`` out in each template, on the studio's paper (else the template's first): what does not fit."""
    from handouts.build import fit_warnings, prepare, render_pdf
    from handouts.errors import HandoutError
    from handouts.layout.templating import find_template, template_names

    problems = []
    for name in templates or template_names(project):
        copy = ""
        try:
            papers = find_template(project, name).info.papers
            studio = validate(load_yaml(project.studio_file()), Studio)
            job = prepare(project, file, template=name, paper=studio.paper if studio.paper in papers else papers[0])
            problems += [replace(warning, file=file) for warning in fit_warnings(job, render_pdf(job))]
            box = job.template.box_rect(job.paper)
            if job.template.info.fixed_pages and box:
                # A client's copy (a build with --client, each of a batch) keeps its box's room: does that fit too?
                copy = " (a client's copy, with its personal box)"
                render_pdf(job, box_height=box[3])
        except HandoutError as error:  # what a build in this layout would say, naming the layout
            said = f"template '{name}': "
            problems += [replace(problem, message=f"template '{name}'{copy}: "
                                 + problem.message.removeprefix(said)) for problem in error.problems]
    return problems


def content_files(project: Project, targets: list[str] | None = None) -> list[Path]:
    """Files for content ids (every language), ``<id>.<lang>`` names, or paths."""
    if not targets:
        return [project.find("content", f"{name}.yaml") for name in project.content_ids()]
    files = []
    for ref in targets:
        if ref.endswith((".yaml", ".yml")) or "/" in ref:
            files.append(project.resolve_content(ref, "en"))
            continue
        names = [n for n in project.content_ids() if ref in (n, n.rsplit(".", 1)[0])]
        if not names:
            raise ContentError(f"no content '{ref}'",
                               hint=f"available: {', '.join(project.content_ids()) or 'none'}")
        files += [project.find("content", f"{name}.yaml") for name in names]
    return list(dict.fromkeys(files))


def _problem(located: LocatedData, path: PathKey, message: str, hint: str,
             severity: str = "error") -> Problem:
    line, column = located.locate(path)
    return Problem(message, located.file, line, column, ".".join(map(str, path)), hint, severity)


def _texts(value) -> list[str]:
    """The strings in a field that should hold text or a list of texts."""
    items = value if isinstance(value, list) else [value]
    return [item for item in items if isinstance(item, str) and item.strip()]


def _plain(items: list[str]) -> str:
    """Markdown items as plain text, each ending a sentence (a step without a full stop is one)."""
    out = []
    for item in items:
        text = strip(item).strip()
        out.append(text if re.search(r"[.!?:;…]['\"”’»)]*$", text) else f"{text}.")
    return "\n\n".join(out)


def _blocks(located: LocatedData) -> Iterator[tuple[PathKey, str, str]]:
    """Each block a client reads: (path, name, plain text)."""
    yield ("summary",), "summary", _plain(_texts(located.get(("summary",))))
    sections = located.get(("sections",))
    for index, section in enumerate(sections if isinstance(sections, list) else []):
        if isinstance(section, dict):
            items = [*_texts(section.get("body")), *_texts(section.get("steps")), *_texts(section.get("bullets"))]
            yield ("sections", index), f"section '{section.get('heading', index + 1)}'", _plain(items)
    yield ("safety",), "safety", _plain(_texts(located.get(("safety",))))
    for index, position, label in _positions(located):
        yield ("sidebar", "positions", index), f"view '{label}'", _position_text(position)
    for part in ("common_ground", "takeaway"):
        yield ("sidebar", part), part.replace("_", " "), _plain(_texts(located.get(("sidebar", part))))


def _positions(located: LocatedData) -> Iterator[tuple[int, dict, str]]:
    positions = located.get(("sidebar", "positions"))
    for index, position in enumerate(positions if isinstance(positions, list) else []):
        if isinstance(position, dict):
            yield index, position, str(position.get("label", f"view {index + 1}"))


def _position_text(position: dict) -> str:
    return _plain([*_texts(position.get("summary")), *_texts(position.get("points"))])


def _quote(sentence: str) -> str:
    sentence = " ".join(sentence.split())
    return f'"{sentence}"' if len(sentence) <= _QUOTE_CHARS else f'"{sentence[:_QUOTE_CHARS - 1].rstrip()}…"'


def _grades(located: LocatedData, lang: str, studio: Studio | None, severity: str) -> list[Problem]:
    """Each block on its language's scale, with its hardest sentence when past the studio's limit."""
    if not readability.supported(lang):
        return [_problem(located, ("lang",), f"the reading level cannot be measured in '{lang}'",
                         "have a plain-language reader check the text", "warning")]
    scale, limit = readability.limit_for(studio, lang)
    way, change = ("below", "lower") if scale.higher_is_easier else ("above", "raise")
    problems = []
    for path, name, text in _blocks(located):
        if not text:
            continue
        reading = readability.assess(text, lang, keep=1)
        if scale.too_hard(reading.score, limit):
            hardest = "".join(f"; hardest: {_quote(s)} ({g:g})" for s, g in reading.hardest)
            problems.append(_problem(
                located, path, f"{scale.describe(reading.score)} is {way} {limit:g} in the {name}{hardest}",
                f"split long sentences and use shorter, everyday words; or {change} {scale.setting} "
                f"in studio.yaml, now {limit:g}", severity,
            ))
    return problems


def _balance(located: LocatedData) -> list[Problem]:
    """The longest view may have at most BALANCE_RATIO times the words of the shortest."""
    sizes = [(readability.words(_position_text(p)), i, label) for i, p, label in _positions(located)]
    sizes = [size for size in sizes if size[0]]
    if len(sizes) < 2:
        return []
    (short, _, short_label), (long, index, long_label) = min(sizes), max(sizes)
    if long <= BALANCE_RATIO * short:
        return []
    return [_problem(
        located, ("sidebar", "positions", index),
        f"the debate is unbalanced: '{long_label}' has {long} words, {long / short:.2f} times "
        f"the {short} of '{short_label}' (at most {BALANCE_RATIO:g} times)",
        f"cut '{long_label}' to about {int(BALANCE_RATIO * short)} words, or give '{short_label}' more",
    )]


def _uncited(located: LocatedData) -> list[Problem]:
    """A reference that no view and no ``[@id]`` in the text cites is printed for nothing: a warning."""
    cited = {source for _, position, _ in _positions(located) for source in _texts(position.get("sources"))}
    cited |= {ref for path, text in glyphs.strings(located.data) if path[:1] != ("references",)
              for ref in cited_ids(text)}
    references = located.get(("references",))
    problems = []
    for index, reference in enumerate(references if isinstance(references, list) else []):
        ref_id = reference.get("id") if isinstance(reference, dict) else None
        if isinstance(ref_id, str) and ref_id not in cited:
            problems.append(_problem(located, ("references", index, "id"), f"reference '{ref_id}' is never cited",
                                     "add it to a view's sources:, or remove it", "warning"))
    return problems


def _disclaimer(located: LocatedData, lang: str, studio: Studio, studio_file: Path) -> list[Problem]:
    """A disclaimer in the handout's language: the content's own, or the studio's."""
    if _texts(located.get(("disclaimer",))):
        return []
    text, text_lang = studio.disclaimer_for(lang)
    primary = lang.split("-")[0].lower()
    if text is None:
        return [_studio_problem(studio_file, f"no disclaimer for {located.file.name}",
                                "add `disclaimer:` to studio.yaml (one text, or one per language: "
                                "{en: ..., es: ...}), or to the content file")]
    if text_lang is not None and text_lang.split("-")[0].lower() != primary:
        return [_studio_problem(studio_file, f"no '{primary}' text: {located.file.name} will print the "
                                f"'{text_lang}' one", f"add `{primary}: ...` under disclaimer:", "warning")]
    return []


def _studio_problem(studio_file: Path, message: str, hint: str, severity: str = "error") -> Problem:
    located = load_yaml(studio_file)
    return _problem(located, ("disclaimer",), message, hint, severity)


def _labels(located: LocatedData, lang: str, project: Project) -> list[Problem]:
    """The words around the content ("Page 1 of 2", "Safety first") in the content's language."""
    found, missing = missing_labels(project, lang)
    primary = lang.split("-")[0].lower()
    where = f"templates/_base/labels/{primary}.yaml"
    if not found:
        return [_problem(located, ("lang",), f"no label catalogue for '{primary}': headings, page numbers "
                         "and dates will print in English",
                         f"copy templates/_base/labels/en.yaml to {where} in the studio folder and translate it",
                         "warning")]
    if missing:
        shown = ", ".join(missing[:4]) + (", ..." if len(missing) > 4 else "")
        return [_problem(located, ("lang",), f"{len(missing)} label(s) missing in {where} ({shown}): "
                         "they will print in English", f"add them to {where}", "warning")]
    return []
