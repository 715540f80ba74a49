"""What each layout holds at its type floors, measured by building: the most steps, the longest title.

Run: python bench/capacity.py

A handout of the usual parts (a summary, four key points, props, the steps,
getting up, five safety lines, a two-view debate, four sources), with a long
client name, a 62-character note and a class name in the personal box, on a
fully branded studio (logo, tagline, every contact field, website and video),
in English. For each layout and paper it finds, by building, the most steps
of 70 characters the main section can have (and, for a layout that aims at a
page count, within that count), and the longest title, each with
the other parts as they are (six steps, when the title is measured). The README and templates/README.md quote these
figures; tests/test_properties.py builds content within them on every layout.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sys
import tempfile
from pathlib import Path

import yaml

from handouts.build import build_handout
from handouts.errors import LayoutOverflowError
from handouts.project import Project

ROOT = Path(__file__).resolve().parent.parent
BRANDED = ROOT / "tests" / "data" / "fit" / "branded"
IMAGES = ROOT / "tests" / "data" / "fit" / "content" / "images"
PERSONAL = {"client": "Maximiliana Ørsted-Fernández", "note": "Use a folded towel under your head; go gently on the left hip.",
            "class_name": "Saturday Open Class 9:30", "date": dt.date(2026, 12, 1)}
STEP = "Breathe out slowly and lift your right foot a little off the mat floor."  # 70 characters
WORD = "Resting"


def handout(steps: int, title: str) -> dict:
    """The usual parts of a handout, with ``steps`` steps of 70 characters and ``title``."""
    return {
        "id": "capacity", "lang": "en", "title": title, "subtitle": "Lifting one leg while the back stays quiet",
        "summary": "You lie on your back with your knees bent. Then you lift and lower one foot at a time, slowly.",
        "key_points": ["**What:** lift one bent leg, then lower it, with your back still.",
                       "**How long:** 6 to 8 lifts on each side, once a day.",
                       "**Getting up:** roll onto your side first, then push up.",
                       "**Stop if:** it hurts, or you feel dizzy or short of breath."],
        "reviewed": "2026-11-28",
        "illustration": {"file": "images/knee-fold.svg", "alt": "A person lifts one bent leg.",
                         "caption": "Lift one knee; the other foot stays down."},
        "sections": [
            {"heading": "What you need", "bullets": ["**A mat:** soft under your back, firm enough not to sink.",
                                                     "**A towel:** folded under your head, so your face is level."]},
            {"heading": "How to do it", "steps": [STEP] * steps},
            {"heading": "Getting up", "picture": {"file": "images/roll-up.svg", "alt": "A person rolls to the side.",
                                                  "caption": "Roll to your side, then push up."},
             "steps": ["Roll onto your side for two slow breaths.", "Push up to sitting with both arms.",
                       "Sit for a moment before you stand up."]},
        ],
        "safety": ["Stop if you feel pain in your back or hip, or numbness in a leg.",
                   "Stop and rest on your side if you feel dizzy or short of breath.",
                   "Pregnant? After about 16 weeks, do this on your side, not flat on your back.",
                   "Ask your doctor first if you have had surgery on your back, hip or belly lately.",
                   "Get help at once for chest pain that does not go away with rest."],
        "sidebar": {
            "title": "The breath question", "question": "Should you breathe out as you lift?",
            "positions": [
                {"label": "Breath-led", "summary": "Many teachers cue a long breath out on each lift.",
                 "points": ["They say it switches the deep belly muscles on first."], "sources": ["pilates-1945"]},
                {"label": "Free breath", "summary": "Others let you breathe as you like, but never hold it.",
                 "points": ["They say a set rhythm makes some people tense."], "sources": ["isacowitz-2014"]},
            ],
            "common_ground": "Both agree you should not hold your breath as you lift.",
            "takeaway": "Try both, and keep the one that lets your pelvis stay still.",
        },
        "references": [
            {"id": "pilates-1945", "authors": "Pilates JH, Miller WJ", "title": "Return to Life Through Contrology",
             "publisher": "J.J. Augustin", "year": 1945},
            {"id": "isacowitz-2014", "authors": "Isacowitz R", "title": "Pilates", "edition": "2nd edition",
             "publisher": "Human Kinetics", "year": 2014},
        ],
    }


def builds(folder: Path, template: str, paper: str, data: dict, *, on_aim: bool = False) -> bool:
    """Whether ``data`` builds on the layout (``on_aim``: within the pages it aims at, with no warning)."""
    file = folder / "capacity.en.yaml"
    file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    try:
        built = build_handout(file, template=template, paper=paper, project=Project(root=BRANDED),
                              out_dir=folder / "out", **PERSONAL)
    except LayoutOverflowError:
        return False
    return not (on_aim and any("aims for" in warning.message for warning in built.warnings))


def most(fits, low: int, high: int) -> int:
    """The largest n in [low, high] for which ``fits(n)`` (``low - 1`` when none does)."""
    if not fits(low):
        return low - 1
    while low < high:
        middle = (low + high + 1) // 2
        low, high = (middle, high) if fits(middle) else (low, middle - 1)
    return low


def main() -> None:
    print(f"# python bench/capacity.py   ({os.cpu_count()} cores, Python {sys.version.split()[0]})")
    print("# the usual parts, a long name, a 62-character note and a class name, a fully branded studio")
    print(f"{'template':<12} {'paper':<7} {'steps of 70 characters':>23} {'on its aim':>11} {'title (characters)':>19}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        shutil.copytree(IMAGES, folder / "images")
        for template in ("classic", "large-print", "trifold", "cue-card"):
            for paper in ("letter", "a4"):
                steps = most(lambda n: builds(folder, template, paper, handout(n, "Knee Folds")), 1, 60)
                aim = most(lambda n: builds(folder, template, paper, handout(n, "Knee Folds"), on_aim=True), 1, steps)
                words = most(lambda n: builds(folder, template, paper, handout(6, " ".join([WORD] * n))), 1, 40)
                print(f"{template:<12} {paper:<7} {steps:>23} {aim:>11} {len(' '.join([WORD] * words)):>19}")


if __name__ == "__main__":
    main()
