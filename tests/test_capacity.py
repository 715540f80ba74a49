"""Content within a layout's stated capacity builds on it; beyond, the tool names what to cut.

The capacities are the README's (measured by bench/capacity.py, with a
margin): a title, a count of steps of up to 70 characters, a long accented
client name, a note of up to 62 characters and a class name, on a fully
branded studio. Within them every layout builds, prints every step once,
and no word overlaps another; far beyond them a fixed layout refuses with
the content item to shorten, and never writes a PDF with text missing or
printed over other text.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sys
import tempfile
from pathlib import Path

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from handouts.build import build_handout
from handouts.errors import LayoutOverflowError
from handouts.project import Project

from pdfcheck import find, overlaps, words

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from capacity import BRANDED, IMAGES, handout  # noqa: E402  (the handout the capacities were measured on)

#: What each layout holds at its floors, for any paper (the README's "holds" figures).
CAPACITY = {
    "classic": {"steps": 30, "title": 120},
    "large-print": {"steps": 40, "title": 120},
    "trifold": {"steps": 18, "title": 80},
    "cue-card": {"steps": 6, "title": 60},
}
WORD = st.sampled_from(["rest", "knee", "slowly", "breathe", "mat", "towel", "gently", "Zoë", "Ørsted", "lift",
                        "pelvis", "steady", "Łukasz", "señora", "côté", "floor", "easy"])
NAME = st.lists(st.sampled_from(["Zoë", "Łukasz-Ørsted", "María José", "Fernández", "Ng", "O'Brien", "Siobhán",
                                 "Nguyễn", "Kowalczyk", "Ana"]), min_size=1, max_size=3).map(" ".join)
FOLDER = Path(tempfile.mkdtemp(prefix="handouts-capacity-"))
shutil.copytree(IMAGES, FOLDER / "images")


def text(max_chars: int) -> st.SearchStrategy[str]:
    """Words up to ``max_chars`` characters, as a sentence."""
    return st.lists(WORD, min_size=1, max_size=20).map(" ".join).map(
        lambda s: (s[:max_chars].rsplit(" ", 1)[0] if len(s) > max_chars else s).capitalize() + ".")


def content_within(template: str):
    cap = CAPACITY[template]
    return st.fixed_dictionaries({
        "title": text(cap["title"]),
        "steps": st.lists(text(70), min_size=1, max_size=cap["steps"]),
        "client": NAME.filter(lambda name: len(name) <= 30),
        "note": st.one_of(st.none(), text(62)),
        "class_name": st.one_of(st.none(), st.just("Saturday Open Class 9:30")),
        "paper": st.sampled_from(["letter", "a4"]),
    })


def build(template: str, case: dict, out: str):
    data = handout(len(case["steps"]), case["title"])
    data["sections"][1]["steps"] = case["steps"]
    file = FOLDER / f"{template}.en.yaml"
    file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    personal = {key: case[key] for key in ("client", "note", "class_name")}
    return build_handout(file, template=template, paper=case["paper"], project=Project(root=BRANDED),
                         out_dir=FOLDER / out, date=dt.date(2026, 12, 1), **personal)


def prints_everything_once_and_cleanly(path: Path, case: dict) -> None:
    printed = words(path)
    assert overlaps(printed) == []
    assert find(printed, case["title"], 3)
    for step in case["steps"]:
        assert find(printed, step), step


@settings(max_examples=max(4, settings().max_examples // 25))
@given(template=st.sampled_from(sorted(CAPACITY)), data=st.data())
def test_content_within_a_layouts_capacity_builds_on_it(template, data):
    case = data.draw(content_within(template))
    prints_everything_once_and_cleanly(build(template, case, "within").path, case)


@settings(max_examples=max(4, settings().max_examples // 25))
@given(template=st.sampled_from(["trifold", "cue-card"]), data=st.data())
def test_content_far_beyond_a_fixed_layout_is_refused_naming_what_to_cut(template, data):
    case = data.draw(content_within(template))
    case["steps"] = case["steps"] * (3 * CAPACITY[template]["steps"] // len(case["steps"]) + 1)
    try:
        built = build(template, case, "beyond")
    except LayoutOverflowError as error:
        problem = error.problems[0]
        assert problem.field and problem.field.split(".")[0] in {"sections", "illustration", "title", "safety"}
        assert "too many" in problem.message or "would not be enough" in problem.message
    else:  # if it fit after all, it fits cleanly
        prints_everything_once_and_cleanly(built.path, case)
