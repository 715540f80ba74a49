"""The words templates print around the content, in the content's language.

Labels ("Page", "Prepared for", "Safety first") live in one small catalogue
per language, ``templates/_base/labels/<lang>.yaml``, which a studio folder
can override like any template file. A language without a catalogue falls
back to English, label by label.

A catalogue is checked when it is read, and every problem is reported at its
own line: each name is a label English has (a typo would print English
silently), each label is one text, ``weekdays`` is a list of seven, and
``date_format`` is a CLDR date pattern (``d MMMM y``: "1 December 2026"),
which Babel formats with the month names of the catalogue's language. A
catalogue is data, never code: no pattern can reach into Python objects.
"""

from __future__ import annotations

import datetime as dt
import difflib
from pathlib import Path

from handouts.content.yamlload import LocatedData, load_yaml
from handouts.errors import ContentError, Problem
from handouts.project import Project, is_inside
from handouts.terminal import shown

FALLBACK_LANG = "en"
DEFAULT_DATE_FORMAT = "d MMMM y"
#: Labels that are lists of a fixed length; every other label is one text.
LISTS = {"weekdays": 7}
#: CLDR pattern letters that belong to a date (era, year, quarter, month, week, day, weekday).
DATE_FIELDS = frozenset("GyYuUQqMLwWdDFgEec")
#: Letters that print a name (of a month, a weekday...), which needs the language's CLDR data.
NAME_FIELDS = frozenset("GQqMLEec")


class Labels(dict):
    """A label catalogue, name -> text, that knows its language and which file gave each label."""

    def __init__(self, *args, lang: str = FALLBACK_LANG, **kwargs):
        super().__init__(*args, **kwargs)
        self._lang = lang
        self._origins: dict[str, Path] = {}


def origin(labels: dict, key: str) -> Path | None:
    """The catalogue file a label came from, when known."""
    return getattr(labels, "_origins", {}).get(key)


def _locale(lang: str):
    """Babel's locale for ``lang``, or None where CLDR has none (Babel is imported when first needed: ~40 ms)."""
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return None


def date_format_problem(pattern: str, lang: str) -> tuple[str, str] | None:
    """Why ``pattern`` is not a CLDR date pattern Babel can print in ``lang``, or None."""
    from babel.dates import tokenize_pattern

    example = "write a CLDR date pattern, e.g. d MMMM y (1 December 2026) or d 'de' MMMM 'de' y"
    if "{" in pattern:
        return f"'{shown(pattern, 40)}' is written in the old {{day}} {{month}} {{year}} form", example
    letters = {value[0] for kind, value in tokenize_pattern(pattern) if kind == "field"}
    if not letters:
        return f"'{shown(pattern, 40)}' prints no part of a date", example
    if letters - DATE_FIELDS:
        wrong = sorted(letters - DATE_FIELDS)[0]
        return (f"'{wrong}' in '{shown(pattern, 40)}' is not part of a date (a time, a time zone, or no "
                "CLDR letter at all)", "use d (day), M (month), y (year) and E (weekday); quote other "
                                       "text in single quotes")
    if letters & NAME_FIELDS and _locale(lang) is None:
        return f"no month or weekday names are known for the language '{shown(lang, 20)}'", \
            "write the month as a number, e.g. d.MM.y"
    return None


def _problem(located: LocatedData, path: tuple, message: str, hint: str) -> Problem:
    line, column = located.locate(path)
    return Problem(message, located.file, line, column, ".".join(map(str, path)), hint)


def _name_problem(located: LocatedData, key: str, known: frozenset[str], lang: str) -> Problem | None:
    """Why ``key`` is no label's name, or None.

    The English catalogue names the labels: another language's may only
    translate them, and a studio's English one may add labels for its own
    templates, but not one a letter or two from a label English has.
    """
    if key == "months":
        return _problem(located, (key,), "month names are not a label: they print in the catalogue's language, "
                                         "from date_format", "remove the line; MMMM in date_format prints the "
                                                             "month's name (d MMMM y: 1 December 2026)")
    if key in known:
        return None
    close = difflib.get_close_matches(key, sorted(known), n=1)
    if lang == FALLBACK_LANG and not close:
        return None  # a label of the studio's own, for its own templates
    hint = f"did you mean '{close[0]}'?" if close else \
        f"use a name from templates/_base/labels/{FALLBACK_LANG}.yaml, or remove the line"
    return _problem(located, (key,), "unknown label", hint)


def catalogue_problems(located: LocatedData, lang: str, patterns: bool = True,
                       known: frozenset[str] | None = None) -> list[Problem]:
    """Every problem of a label catalogue, each at its line: names are labels', labels are texts, lists have
    their length.

    ``patterns=False`` leaves ``date_format`` unchecked (the bundled
    catalogues', which the tests check, so a build that prints no date never
    loads Babel). ``known`` is the labels' names (None: names unchecked).
    """
    data = located.data
    if not isinstance(data, dict):
        return [Problem("a label catalogue must be a mapping of name: text", located.file, 1)]
    found = []
    for key, value in data.items():
        path = (key,)
        if not isinstance(key, str):
            found.append(_problem(located, path, "a label's name must be text", "write each label as 'name: text'"))
        elif known is not None and (problem := _name_problem(located, key, known, lang)):
            found.append(problem)
        elif key in LISTS:
            if not (isinstance(value, list) and len(value) == LISTS[key] and all(isinstance(v, str) for v in value)):
                found.append(_problem(located, path, f"needs a list of {LISTS[key]} texts, one per line",
                                      f"list all {LISTS[key]}, each on its own line starting with '- '"))
        elif not (isinstance(value, str) or (isinstance(value, list) and all(isinstance(v, str) for v in value))):
            found.append(_problem(located, path, "a label must be text", "write it after the colon, in quotes "
                                                                        "if it starts with a symbol"))
        elif key == "date_format" and patterns and (problem := date_format_problem(value, lang)):
            found.append(_problem(located, path, *problem))
    return found


def _take_as_written(located: LocatedData) -> None:
    """A label written ``yes``, ``no`` or ``2`` is that text, not a yes/no or a number."""
    for path, text in located.scalars.items():
        if len(path) == 1 and isinstance(located.data, dict):
            located.data[path[0]] = text


def _names(file: Path | None) -> frozenset[str]:
    """The names a catalogue file gives (none when it is not a mapping: its own check says so)."""
    data = load_yaml(file).data if file is not None else None
    return frozenset(key for key in data if isinstance(key, str)) if isinstance(data, dict) else frozenset()


def _known_names(project: Project, lang: str) -> frozenset[str]:
    """The labels' names a catalogue in ``lang`` may give: the bundled English ones, and for another language
    also those the studio's English catalogue adds."""
    known = _names(project.bundled / "templates" / "_base" / "labels" / f"{FALLBACK_LANG}.yaml")
    if lang != FALLBACK_LANG:
        known |= _names(project.find("templates", "_base", "labels", f"{FALLBACK_LANG}.yaml"))
    return known


def _catalogue(project: Project, lang: str) -> tuple[dict, Path | None]:
    file = project.find("templates", "_base", "labels", f"{lang}.yaml")
    if file is None:
        return {}, None
    located = load_yaml(file)
    _take_as_written(located)
    studios = not is_inside(file, project.bundled)
    known = _known_names(project, lang) if studios else None
    if problems := catalogue_problems(located, lang, patterns=studios, known=known):
        raise ContentError.collected(problems)
    return located.data, file


def load_labels(project: Project, lang: str) -> Labels:
    """The label catalogue for ``lang`` (its primary subtag), English underneath."""
    primary = lang.split("-")[0].lower()
    labels = Labels()
    for catalogue_lang in dict.fromkeys((FALLBACK_LANG, primary)):
        data, file = _catalogue(project, catalogue_lang)
        labels.update(data)
        labels._origins.update(dict.fromkeys(data, file))
        if file is not None:
            labels._lang = catalogue_lang  # dates in the language of the catalogue found (English without CLDR data)
    return labels


def missing_labels(project: Project, lang: str) -> tuple[bool, list[str]]:
    """Whether ``lang`` has a catalogue, and the English labels it lacks (they print in English)."""
    primary = lang.split("-")[0].lower()
    if primary == FALLBACK_LANG:
        return True, []
    own, file = _catalogue(project, primary)
    english, _ = _catalogue(project, FALLBACK_LANG)
    return file is not None, [key for key in english if key not in own]


def format_date(date: dt.date, labels: dict) -> str:
    """A date as people write it in the catalogue's language: its CLDR ``date_format``, by Babel."""
    from babel.dates import format_date as babel_format_date

    lang = getattr(labels, "_lang", FALLBACK_LANG)
    pattern = labels.get("date_format") or DEFAULT_DATE_FORMAT
    return babel_format_date(date, pattern, locale=_locale(lang) or _locale(FALLBACK_LANG))
