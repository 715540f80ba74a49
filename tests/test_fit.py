"""The fitting step and the personal box: fit first, refuse last, and say what to cut.

The refusals are checked the way a studio meets them: follow the hint (cut
the words or characters it names) and the handout builds.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pypdfium2
import pytest

from handouts.build import build_handout
from handouts.content.load import load_content
from handouts.content.models import Personal
from handouts.errors import LayoutOverflowError
from handouts.layout import fit, fitting, personal
from handouts.project import Project

from pdfcheck import find, raw_text, words

FIT = Path(__file__).resolve().parent / "data" / "fit"
KNEE = FIT / "content" / "knee-folds.en.yaml"
DATE = dt.date(2026, 12, 1)


# --- choosing a setting ------------------------------------------------------------------------

class Result:
    def __init__(self, pages):
        self.pages, self.marks = pages, []


def renderer(fits_from: int, pages_at=None):
    """A fake render: settings before ``fits_from`` overflow a panel by 20 %; records what was tried."""
    tried = []

    def render(index):
        tried.append(index)
        if index < fits_from:
            raise fit.Overflow("panel 'x'", item="safety", used=120, room=100)
        return Result(pages_at(index) if pages_at else 2)

    return render, tried


LEVELS = [{"size": 13, "space": 1.0}, {"size": 12.5, "space": 0.9}, {"size": 12, "space": 0.8},
          {"size": 12, "space": 0.6}, {"size": 12, "space": 0.5}]


def test_content_that_fits_is_rendered_once_at_the_roomiest_setting():
    render, tried = renderer(0)
    assert fitting.choose(LEVELS, render, fitting.Pages(fixed=2)).level == 0 and tried == [0]


def test_the_measured_overflow_skips_settings_that_cannot_hold_it():
    render, tried = renderer(2)
    chosen = fitting.choose(LEVELS, render, fitting.Pages(fixed=2))
    assert chosen.level == 2 and tried == [0, 2]  # 20 % too big: 12 pt, tighter spacing


def test_a_setting_known_for_these_inputs_is_tried_first():
    render, tried = renderer(3)
    assert fitting.choose(LEVELS, render, fitting.Pages(fixed=2), known=3).level == 3 and tried == [3]


def test_nothing_fits_raises_the_overflow_of_the_tightest_setting():
    render, _ = renderer(99)
    with pytest.raises(fit.Overflow):
        fitting.choose(LEVELS, render, fitting.Pages(fixed=2))


def test_a_growing_layout_over_its_aim_takes_its_fewest_pages_at_the_roomiest_setting_and_says_so():
    render, _ = renderer(0, pages_at=lambda index: 4 if index < 3 else 3)
    chosen = fitting.choose(LEVELS, render, fitting.Pages(most=4, aim=2))
    assert chosen.level == 3 and chosen.result.pages == 3
    assert chosen.notes == ["this content needs 3 pages, more than the 2 this layout aims for"]


def test_the_least_cut_is_found_by_trying():
    tried = []

    def fits(count):
        tried.append(count)
        return count >= 37

    cut = fitting.measured_cut(100, 1.3, fits)
    assert 37 <= cut <= 45 and fits(cut) and len(tried) <= 10
    assert fitting.measured_cut(10, 5.0, lambda count: False) is None


# --- the personal box --------------------------------------------------------------------------

LABELS = {"prepared_for": "Prepared for", "note": "A note for you", "months": [
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December"], "date_format": "d MMMM y"}


def box(width=200, height=90, grows=False, template="card"):
    return personal.Box((0, 0, width, height), personal.BoxStyle("#000000", "#FFFFFF", template, grows=grows), LABELS)


def lines(paragraph) -> list[str]:
    """A laid-out paragraph's lines as text."""
    return [" ".join(line[1]) if isinstance(line, tuple) else "".join(word.text for word in line.words)
            for line in paragraph.blPara.lines]


@pytest.fixture(autouse=True, scope="module")
def _fonts():
    from handouts.layout import fonts
    fonts.use(fonts.default_fonts())


def test_a_name_that_fits_a_line_is_kept_whole_after_the_label():
    laid = box(width=180).layout(Personal(client="Zoë Łukasz-Ørsted", date=DATE))
    assert [line.replace("\xa0", " ") for line in lines(laid.story[0])] == ["Prepared for", "Zoë Łukasz-Ørsted"]


def test_a_name_wider_than_the_box_breaks_between_its_words():
    laid = box(width=120, height=200).layout(Personal(client="Maximiliana Wolfeschlegelstein Hausenberger",
                                                      date=DATE))
    assert len(lines(laid.story[0])) >= 3


def test_name_date_class_and_note_each_keep_their_line():
    laid = box(grows=True).layout(Personal(client="Ana García", class_name="Saturday Open Class",
                                           note="A folded towel under your head.", date=DATE))
    texts = [" ".join(lines(p)) for p in laid.story]
    assert texts[1:3] == ["1 December 2026", "Saturday Open Class"]
    assert texts[3].endswith("A folded towel under your head.")


def test_a_growing_box_grows_with_its_note():
    short = box(grows=True).layout(Personal(client="Ana", note="Rest.", date=DATE))
    long = box(grows=True).layout(Personal(client="Ana", note="Rest ten minutes. " * 8, date=DATE))
    assert short.height == 90 and long.height > short.height + 20


@pytest.mark.parametrize("item, changes", [
    ("note", {"note": "Use a folded towel under your head, and go gently on the left hip after the fall. " * 2}),
    ("class_name", {"class_name": "Saturday morning open class for beginners and returners at the harbour studio"
                                  " with Maria and Joseph"}),
    ("client", {"client": "Maximiliana Josefina Wolfeschlegelsteinhausenberger-Ibáñez de la Torre y Ørsted"}),
])
def test_a_fixed_box_names_what_is_too_long_and_following_the_hint_works(item, changes):
    info = Personal(client="Zoë Łukasz", date=DATE).model_copy(update=changes)
    fixed = box(width=200, height=64)
    with pytest.raises(LayoutOverflowError) as caught:
        fixed.layout(info)
    problem = caught.value.problems[0]
    assert problem.field == personal.OPTIONS[item]
    keep = int(re.search(r"to (\d+) characters or fewer", problem.hint).group(1))
    shortened = info.model_copy(update={item: getattr(info, item)[:keep].rstrip()})
    assert fixed.layout(shortened).height == fixed.rect[3]


def test_the_box_text_steps_down_before_it_refuses():
    info = Personal(client="Zoë Łukasz-Ørsted", class_name="Saturday Open Class",
                    note="Use a folded towel under your head; go gently on the left hip.", date=DATE)
    laid = box(width=212, height=84).layout(info)
    assert laid.story[0].style.fontSize < personal.NAME_SIZE  # smaller than at full size, but it fits


# --- whole handouts ----------------------------------------------------------------------------

def test_content_beyond_a_fixed_layout_names_the_item_and_the_cut_works(tmp_path):
    content = load_content(KNEE)
    longer = content.model_copy(update={"safety": content.safety + [
        "Stop at once if a leg goes numb or weak, and ask your doctor before you try the exercise again."] * 16})
    source = tmp_path / "longer.en.yaml"
    _write(source, longer)
    project = Project(root=FIT / "plain")
    with pytest.raises(LayoutOverflowError) as caught:
        build_handout(source, template="cue-card", project=project, out_dir=tmp_path / "out")
    problem = caught.value.problems[0]
    assert problem.field == "safety" and "no room for the safety list" in problem.message
    cut = int(re.search(r"about (\d+) words too many", problem.message).group(1))
    assert not (tmp_path / "out").exists()
    _write(source, fitting.trim(longer, "safety", cut))
    assert build_handout(source, template="cue-card", project=project, out_dir=tmp_path / "out").pages == 2


def test_one_more_step_and_a_55_character_title_build_on_every_layout(tmp_path):
    content = load_content(KNEE)
    steps = content.sections[1].model_copy(update={"steps": content.sections[1].steps + [
        "Rest with both feet down and let your breath settle before the next lift."]})
    longer = content.model_copy(update={"title": "Knee Folds: Lifting One Leg While Your Pelvis Stays Put",
                                        "sections": [content.sections[0], steps, *content.sections[2:]]})
    assert len(longer.title) == 55
    source = tmp_path / "knee-folds.en.yaml"
    _write(source, longer)
    for template in ("classic", "large-print", "trifold", "cue-card"):
        built = build_handout(source, template=template, project=Project(root=FIT / "plain"), out_dir=tmp_path / template,
                              client="Zoë Łukasz-Ørsted", note="A folded towel under your head", date=DATE)
        assert find(words(built.path), longer.title, 4), template


def test_content_far_beyond_a_layout_is_refused_by_counting(tmp_path):
    content = load_content(KNEE)
    long = content.sections[-1].model_copy(update={"body": "Rest and breathe slowly on the mat. " * 270})
    huge = content.model_copy(update={"sections": content.sections + [long] * 6})
    source = tmp_path / "huge.en.yaml"
    _write(source, huge)
    with pytest.raises(LayoutOverflowError) as caught:
        build_handout(source, template="classic", project=Project(root=FIT / "plain"), out_dir=tmp_path / "out")
    problem = caught.value.problems[0]
    assert problem.field.startswith("sections.") and "in the 4 page(s) it may take" in problem.message
    assert "words too many" in problem.message or "would not be enough" in problem.message


def test_each_page_reads_in_order_footer_last(tmp_path):
    built = build_handout(KNEE, template="classic", project=Project(root=FIT / "branded"), out_dir=tmp_path,
                          client="Ana García", date=DATE)
    first = raw_text(built.path, 1)
    order = ["Knee Folds", "Prepared for Ana García", "lift one leg", "Key points", "Safety first",
             "general information, not medical advice", "Page 1 of"]
    places = [first.find(text) for text in order]
    assert -1 not in places and places == sorted(places), list(zip(order, places))


def test_a_pale_primary_prints_in_its_readable_shade(tmp_path):
    studio = tmp_path / "studio"
    studio.mkdir()
    (studio / "studio.yaml").write_text('name: Pale\ncolors:\n  primary: "#99BBDD"\nreading_grade_max: 16\n'
                                        "disclaimer: General information, not medical advice.\n", encoding="utf-8")
    built = build_handout(KNEE, template="classic", project=Project(root=studio), out_dir=tmp_path / "out")
    [warning] = [w for w in built.warnings if w.field == "colors.primary"]
    shade = re.search(r"prints as (#[0-9A-F]{6})", warning.message).group(1)
    import pdfplumber

    with pdfplumber.open(built.path) as pdf:
        title = [c for c in pdf.pages[0].chars if c["text"] == "K" and c["size"] > 20][0]
    rgb = tuple(round(v * 255) for v in title["non_stroking_color"])
    assert rgb == tuple(int(shade[i:i + 2], 16) for i in (1, 3, 5))


@pytest.mark.parametrize("template, where", [("trifold", "folds"), ("cue-card", "cut")])
def test_fold_marks_and_the_cut_line_survive_a_black_and_white_copy(tmp_path, template, where):
    built = build_handout(KNEE, template=template, project=Project(root=FIT / "plain"), out_dir=tmp_path)
    page = pypdfium2.PdfDocument(built.path)[0]
    image = page.render(scale=2).to_pil().convert("L").point(lambda v: 0 if v < 128 else 255)
    width, height = image.size
    if where == "folds":
        spots = [(int(width * f), y) for f in (1 / 3, 2 / 3) for y in (int(height * 0.025), int(height * 0.975))]
    else:
        spots = [(x, height // 2) for x in (int(width * 0.03), int(width * 0.97), int(width * 0.3))]
    for x, y in spots:
        area = [image.getpixel((x + dx, y + dy)) for dx in range(-3, 4) for dy in range(-3, 4)]
        assert 0 in area, (where, x, y)


def _write(path: Path, content) -> None:
    import yaml

    data = content.model_dump(mode="json", exclude_none=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    if not (path.parent / "images").exists():
        shutil.copytree(KNEE.parent / "images", path.parent / "images")


def test_check_lays_the_content_out_in_every_layout_with_the_builds_words(tmp_path):
    from handouts.content.check import check_project

    content = load_content(KNEE)
    source = tmp_path / "content" / "longer.en.yaml"
    _write(source, content.model_copy(update={"safety": content.safety + [
        "Stop at once if a leg goes numb or weak, and ask your doctor before you try the exercise again."] * 16}))
    project = Project(root=FIT / "plain")
    report = check_project(project, [str(source)])
    layout_errors = [p for p in report.problems if "template '" in p.message]
    assert {re.search(r"template '([\w-]+)'", p.message).group(1) for p in layout_errors} >= {"cue-card"}
    with pytest.raises(LayoutOverflowError) as caught:
        build_handout(source, template="cue-card", project=project, out_dir=tmp_path / "out")
    assert str(caught.value.problems[0]) in {str(p) for p in layout_errors}
    only = check_project(project, [str(source)], ["classic"])
    assert not [p for p in only.problems if "template '" in p.message]
