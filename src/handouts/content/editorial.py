"""What a health editor asks of a handout, beyond its schema: ``handouts check`` warns on each.

- the safety list says when to get help and whom to call;
- every view of the debate, and the takeaway, names its source;
- every reference can be found again: a year, and for a journal article its
  volume and pages;
- the languages of one handout say the same things: as many steps, safety
  items, views and references in each.

The words that count as "get help" are a list per language in the label
catalogue (``get_help_phrases`` in ``templates/_base/labels/<lang>.yaml``),
so a studio adds its own ("ring the front desk") and a new language brings
its own. Like ``check``, the rules read the raw data and print nothing.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from handouts.content.labels import load_labels
from handouts.content.markup import cited_ids, strip
from handouts.content.yamlload import LocatedData, PathKey, load_yaml
from handouts.errors import HandoutError, Problem
from handouts.project import Project

HELP_LABEL = "get_help_phrases"
_YEAR = re.compile(r"\b(1[5-9]\d\d|20\d\d)\b")


def _warning(located: LocatedData, path: PathKey, message: str, hint: str) -> Problem:
    line, column = located.locate(path)
    return Problem(message, located.file, line, column, ".".join(map(str, path)), hint, "warning")


def _list(value) -> list:
    return value if isinstance(value, list) else []


def _texts(value) -> list[str]:
    return [item for item in (value if isinstance(value, list) else [value]) if isinstance(item, str)]


def file_problems(located: LocatedData, lang: str, project: Project | None) -> list[Problem]:
    """Every editorial warning of one content file (the get-help rule needs the project's labels)."""
    problems = _unsourced(located) + _reference_details(located)
    if project is not None:
        problems += _get_help(located, load_labels(project, lang).get(HELP_LABEL), lang)
    return problems


def _folded(text: str) -> str:
    """Lower case, accents off: 'Médico' and 'medico' read the same."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def help_pattern(phrases: list[str]) -> re.Pattern | None:
    """One pattern for the phrases: each matched as whole words; a final ``*`` takes any ending (``llam*``)."""
    parts = []
    for phrase in phrases:
        if isinstance(phrase, str) and phrase.strip():
            stem = _folded(phrase.strip())
            wild = stem.endswith("*")
            body = r"\s+".join(map(re.escape, stem.rstrip("*").split()))
            parts.append(rf"(?<!\w){body}" + (r"\w*" if wild else r"(?!\w)"))
    return re.compile("|".join(parts)) if parts else None


def _get_help(located: LocatedData, phrases, lang: str) -> list[Problem]:
    """A safety list must say when to get help: one item at least holds a phrase of the catalogue."""
    items = _texts(located.get(("safety",)))
    pattern = help_pattern(phrases) if isinstance(phrases, list) else None
    if not items or pattern is None or any(pattern.search(_folded(strip(item))) for item in items):
        return []
    primary = lang.split("-")[0].lower()
    return [_warning(
        located, ("safety",), "no item says when to get help or whom to call",
        f"add one, such as 'Get help if the pain does not settle: call your doctor'; the words that count are "
        f"{HELP_LABEL} in templates/_base/labels/{primary}.yaml",
    )]


def _unsourced(located: LocatedData) -> list[Problem]:
    """Each view names a source (``sources:`` or an inline ``[@id]``), and so does the takeaway."""
    problems = []
    for index, position in enumerate(_list(located.get(("sidebar", "positions")))):
        if not isinstance(position, dict) or "sources" not in position:
            continue  # a missing sources: is the schema's error already
        cited = _texts(position.get("sources")) + [ref for text in _texts(position.get("summary"))
                                                    + _texts(position.get("points")) for ref in cited_ids(text)]
        if not cited:
            label = position.get("label", f"view {index + 1}")
            problems.append(_warning(located, ("sidebar", "positions", index), f"view '{label}' names no source",
                                     "add its reference ids under sources:, or cite one in its text as [@id]"))
    takeaway = located.get(("sidebar", "takeaway"))
    if isinstance(takeaway, str) and takeaway.strip() and not cited_ids(takeaway):
        problems.append(_warning(located, ("sidebar", "takeaway"), "the takeaway cites no source",
                                 "cite the references it rests on in its text, as [@id] or [@id1; @id2]"))
    return problems


def _reference_details(located: LocatedData) -> list[Problem]:
    """A reader can find each source again: its year, and a journal article's volume and pages."""
    problems = []
    for index, ref in enumerate(_list(located.get(("references",)))):
        if not isinstance(ref, dict):
            continue
        name = ref.get("id", f"reference {index + 1}")
        text = ref.get("text") if isinstance(ref.get("text"), str) else ""
        has_parts = any(ref.get(part) for part in ("title", "authors", "journal"))
        # A web page that gives no date of its own is dated by when it was read (Vancouver's "cited" date).
        web_page = ref.get("url") and not ref.get("journal")
        dated = ref.get("year") or ref.get("date") or (web_page and ref.get("accessed")) or \
            (not has_parts and _YEAR.search(text))
        if not dated:
            problems.append(_warning(
                located, ("references", index), f"reference '{name}' has no year",
                "add year:, or for a web page or leaflet the date: printed on it, or accessed: the day you "
                "read it if it gives none" if has_parts
                else "add the year to its text, or give the reference by its parts with year:"))
        missing = [part for part in ("volume", "pages") if ref.get("journal") and not ref.get(part)]
        if missing:
            problems.append(_warning(
                located, ("references", index, "journal"), f"journal article '{name}' has no {' and no '.join(missing)}",
                f"add {' and '.join(part + ':' for part in missing)} from the article's record, e.g. on PubMed"))
    return problems


#: What both languages of a handout must have as many of: (field, what one is called).
COUNTED = ((("safety",), "safety item"), (("sidebar", "positions"), "view"), (("references",), "reference"))


def languages_agree(checked_files: list[Path]) -> list[Problem]:
    """Each pair of languages of one handout (``<id>.<lang>.yaml`` side by side) has as many of each thing.

    A pair is told once, in the file that is not English (or the later one),
    unless only the other file was asked for.
    """
    asked = {file.resolve(): file for file in checked_files}
    shown = {sibling.resolve(): sibling for file in checked_files for sibling in _siblings(file)} | asked
    pairs = {tuple(sorted((file.resolve(), sibling.resolve()))) for file in checked_files for sibling in _siblings(file)}
    problems = []
    for first, second in sorted(pairs):
        target, other = (first, second) if second.name.split(".")[-2] == "en" else (second, first)
        if target not in asked:
            target, other = other, target
        try:
            here, there = load_yaml(shown[target], strict=False), load_yaml(shown[other], strict=False)
        except HandoutError:  # a file that cannot be read has its own error, from its own check
            continue
        problems += _compare(here, there, other.name)
    return problems


def _siblings(file: Path) -> list[Path]:
    """The other languages of ``file``: ``<id>.<other>.yaml`` in the same folder."""
    parts = file.name.split(".")
    if len(parts) != 3 or parts[-1] not in ("yaml", "yml"):
        return []
    return sorted(p for p in file.parent.glob(f"{parts[0]}.*.{parts[2]}")
                  if p.resolve() != file.resolve() and len(p.name.split(".")) == 3)


def _compare(here: LocatedData, there: LocatedData, other: str) -> list[Problem]:
    hint = "the languages of a handout say the same things: add what is missing, or remove what is extra"
    problems = []
    counted = list(COUNTED)
    sections, theirs = _list(here.get(("sections",))), _list(there.get(("sections",)))
    if len(sections) == len(theirs):
        counted += [(("sections", index, "steps"), "step") for index in range(len(sections))]
    else:
        counted.append((("sections",), "section"))
    for path, noun in counted:
        mine, yours = len(_list(here.get(path))), len(_list(there.get(path)))
        if mine != yours:
            problems.append(_warning(here, path, f"{mine} {noun}{'s' if mine != 1 else ''} here, {yours} in {other}",
                                     hint))
    return problems
