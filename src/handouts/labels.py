"""The words templates print around the content, in the content's language.

Labels ("Page", "Prepared for", "Safety first") live in one small catalogue
per language, ``templates/_base/labels/<lang>.yaml``, which a studio folder
can override like any template file. A language without a catalogue falls
back to English, label by label.
"""

from __future__ import annotations

import datetime as dt

from handouts.errors import ContentError
from handouts.project import Project
from handouts.yamlload import load_yaml

FALLBACK_LANG = "en"


def _catalogue(project: Project, lang: str) -> dict:
    file = project.find("templates", "_base", "labels", f"{lang}.yaml")
    if file is None:
        return {}
    data = load_yaml(file).data
    if not isinstance(data, dict):
        raise ContentError("a label catalogue must be a mapping of name: text", file=file, line=1)
    return data


def load_labels(project: Project, lang: str) -> dict:
    """The label catalogue for ``lang`` (its primary subtag), English underneath."""
    labels = dict(_catalogue(project, FALLBACK_LANG))
    primary = lang.split("-")[0].lower()
    if primary != FALLBACK_LANG:
        labels.update(_catalogue(project, primary))
    return labels


def missing_labels(project: Project, lang: str) -> tuple[bool, list[str]]:
    """Whether ``lang`` has a catalogue, and the English labels it lacks (they print in English)."""
    primary = lang.split("-")[0].lower()
    if primary == FALLBACK_LANG:
        return True, []
    own = _catalogue(project, primary)
    found = bool(own) or project.find("templates", "_base", "labels", f"{primary}.yaml") is not None
    return found, [key for key in _catalogue(project, FALLBACK_LANG) if key not in own]


def format_date(date: dt.date, labels: dict) -> str:
    """A date as people write it in the catalogue's language (no locale needed)."""
    month = labels["months"][date.month - 1]
    return labels["date_format"].format(day=date.day, month=month, year=date.year)
