"""Valid content and studio files with one thing changed: the tool builds, or says why; it never crashes.

Each example takes the bundled handout or studio settings, picks one place
in it and changes it the way a hand-edited file goes wrong: a value of the
wrong kind, an odd key (``notes[1]``, a number, a list as a key), a value
nested far too deep, an anchor and its aliases (also one inside itself), an
explicit tag (``!!int Rest``, ``!!binary``, ``!!python/object``). The build
either succeeds or raises a HandoutError; anything else is a bug.
HYPOTHESIS_PROFILE=ci runs many more examples (see test_properties).
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path

import yaml
from hypothesis import event, given
from hypothesis import strategies as st

from handouts.build import build_handout
from handouts.errors import HandoutError
from handouts.project import Project

from conftest import ROOT

CONTENT = yaml.safe_load((ROOT / "content" / "constructive-rest.en.yaml").read_text(encoding="utf-8"))
STUDIO = yaml.safe_load((ROOT / "studio.yaml").read_text(encoding="utf-8")) | {"reading_grade_max": 20}
FOLDER = Path(tempfile.mkdtemp(prefix="handouts-yaml-properties-"))
shutil.copytree(ROOT / "content" / "images", FOLDER / "content" / "images")
SENTINEL = "@@here@@"


def paths(value, prefix=()) -> list[tuple]:
    """Every place in a document: each key of each mapping and each item of each list."""
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += paths(item, prefix + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += paths(item, prefix + (index,))
    return found


def at(document, path: tuple):
    """The value at ``path``."""
    for part in path:
        document = document[part]
    return document


def replaced(document, path: tuple, value):
    """A copy of ``document`` with ``value`` at ``path``."""
    copy = yaml.safe_load(yaml.safe_dump(document))
    node = copy
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    return copy


SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(allow_nan=True),
                    st.text(max_size=30), st.sampled_from(["", " ", "yes", "2026-13-45", "#12345", "a5", "ftp://x",
                                                           "pdf:/etc/passwd", "[x](launch:/bin/sh)", "x" * 12_000]))
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(st.text(max_size=8), inner, max_size=3)),
                      max_leaves=8)
KEYS = st.one_of(st.sampled_from(["notes[1]", "[", "]", "a.b", "constrained-str", "dict[str,str]", "[key]", "<<",
                                  "?", "-", "title ", "Title", "x" * 200]), st.text(min_size=1, max_size=12))
#: Raw YAML put in place of one value: tags, anchors and aliases, keys that are lists.
RAW = st.sampled_from([
    "!!int Rest", "!!int", "!!float x", "!!bool maybe", "!!null x", "!!str 2026", "!!binary aGVsbG8=",
    "!!timestamp yesterday", "!!set {a, b}", "!!omap [a: 1]", "!mine x", "!!python/object/apply:os.system [id]",
    "!!seq x", "!!map x", "&a [1, *a]", "*nowhere", "&b x", "&c {k: v}", "{? [a, b]: c}", "{*x : y}",
    "[" * 40 + "]" * 40, "\"\\x07\"", "!!str [a]", "'unterminated", "{a: 1, a: 2}",
])


@st.composite
def mutated(draw, document: dict) -> str:
    """The YAML text of ``document`` with one place changed."""
    where = draw(st.sampled_from(paths(document)))
    how = draw(st.sampled_from(["value", "key", "deep", "raw", "alias"]))
    event(f"mutation: {how}")
    if how == "value":
        return yaml.safe_dump(replaced(document, where, draw(VALUES)), allow_unicode=True, sort_keys=False)
    if how == "key":
        copy = yaml.safe_load(yaml.safe_dump(document))
        mappings = [()] + [path for path in paths(document) if isinstance(at(document, path), dict)]
        at(copy, draw(st.sampled_from(mappings)))[draw(st.one_of(KEYS, st.integers(), st.booleans()))] = draw(VALUES)
        return yaml.safe_dump(copy, allow_unicode=True, sort_keys=False)
    if how == "deep":
        value = draw(VALUES)
        for _ in range(draw(st.integers(1, 40))):
            value = [value] if draw(st.booleans()) else {"k": value}
        return yaml.safe_dump(replaced(document, where, value), allow_unicode=True, sort_keys=False)
    text = yaml.safe_dump(replaced(document, where, SENTINEL), allow_unicode=True, sort_keys=False, width=10**6)
    if how == "raw":
        return text.replace(SENTINEL, draw(RAW), 1)
    # alias: the value at ``where`` becomes an anchor, and another place (perhaps inside it, or before it) its alias
    other = draw(st.sampled_from(paths(document)))
    anchored = replaced(document, where, SENTINEL)
    try:
        anchored = replaced(anchored, other, SENTINEL + "2")
    except (KeyError, IndexError, TypeError):
        pass  # the other place was inside the anchor's value, which is gone
    text = yaml.safe_dump(anchored, allow_unicode=True, sort_keys=False, width=10**6)
    value = draw(st.sampled_from(["[1, 2, 3]", "{a: b}", "text", "[*x]", "{k: *x}"]))
    return text.replace(SENTINEL + "2", "*x", 1).replace(SENTINEL, "&x " + value, 1)


def build_or_refuse(content: Path, studio_text: str | None = None) -> None:
    folder = FOLDER / "studio"
    folder.mkdir(exist_ok=True)
    (folder / "studio.yaml").write_text(studio_text if studio_text is not None else
                                        yaml.safe_dump(STUDIO, allow_unicode=True, sort_keys=False), encoding="utf-8")
    try:
        built = build_handout(str(content), project=Project(root=folder), out_dir=FOLDER / "out",
                              client="Zoë Łukasz", date=dt.date(2026, 12, 1))
    except HandoutError as error:
        event(f"refused: {type(error).__name__}")
        assert str(error) and all(problem.message for problem in error.problems)
        return
    event("built")
    assert built.path.is_file() and built.pages >= 1


@given(text=mutated(CONTENT))
def test_a_content_file_with_one_thing_changed_builds_or_is_refused(text):
    file = FOLDER / "content" / "mutated.en.yaml"
    file.write_text(text, encoding="utf-8")
    build_or_refuse(file)


@given(text=mutated(STUDIO))
def test_a_studio_yaml_with_one_thing_changed_builds_or_is_refused(text):
    build_or_refuse(ROOT / "content" / "constructive-rest.en.yaml", text)
