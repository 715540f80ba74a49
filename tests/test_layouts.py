"""Every layout, on both papers, in both languages, plain, personalised and fully branded.

Each build is read back as a reviewer reads paper: the page count, the type
sizes of the steps, the safety list and the debate (12 pt at least, 16 pt in
large print) and of everything else (9 pt, 14 pt in large print), the steps
of a section on one page, no word printed over another, nothing closer than
half an inch to the paper's edge (or a card's cut, or a brochure's fold),
every font embedded, and live links for the studio's contact.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from handouts.build import build_handout
from handouts.content.load import load_content
from handouts.project import Project

from pdfcheck import find, links, overlaps, page_sizes, unembedded_fonts, words

ROOT = Path(__file__).resolve().parent.parent
FIT = Path(__file__).resolve().parent / "data" / "fit"
DATE = dt.date(2026, 12, 1)
CLIENT = "Zoë Łukasz-Ørsted Fernández"
NOTE = "Use a folded towel under your head; go gently on the left hip."
CLASS = "Saturday Open Class 9:30"
TEMPLATES = ("classic", "large-print", "trifold", "cue-card")
FLOORS = {"large-print": (16, 14)}  # (steps, safety and debate; everything else); others (12, 9)
FIXED_PAGES = {"trifold": 2, "cue-card": 2}
MARGIN = 36  # half an inch


def test_the_note_is_as_long_as_the_brief_says():
    assert len(NOTE) == 62


CONTENT = {
    "knee-folds": {lang: FIT / "content" / f"knee-folds.{lang}.yaml" for lang in ("en", "es")},
    "constructive-rest": {lang: ROOT / "content" / f"constructive-rest.{lang}.yaml" for lang in ("en", "es")},
}
VARIANTS = {
    "plain": (FIT / "plain", {}),
    "personal": (FIT / "plain", {"client": CLIENT, "note": NOTE, "class_name": CLASS, "date": DATE}),
    "branded": (FIT / "branded", {"client": CLIENT, "note": NOTE, "class_name": CLASS, "date": DATE}),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Build on demand, once per case, into a module-wide folder."""
    out = tmp_path_factory.mktemp("layouts")
    made = {}

    def build(content: str, template: str, paper: str, lang: str, variant: str) -> Path:
        key = (content, template, paper, lang, variant)
        if key not in made:
            studio, personal = VARIANTS[variant]
            folder = out / "-".join(key)
            made[key] = build_handout(CONTENT[content][lang], template=template, paper=paper,
                                      project=Project(root=studio), out_dir=folder, **personal).path
        return made[key]

    return build


CASES = [(content, template, paper, lang, variant)
         for content in CONTENT for template in TEMPLATES for paper in ("letter", "a4")
         for lang in ("en", "es") for variant in VARIANTS]


def _id(case) -> str:
    return "-".join(case)


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_the_layout_prints_the_content_as_a_reader_needs_it(built, case):
    content_name, template, paper, lang, variant = case
    pdf = built(*case)
    content = load_content(CONTENT[content_name][lang])
    printed = words(pdf)
    sizes = page_sizes(pdf)

    # Pages: exactly as many as a fixed layout has, all the same paper.
    assert len(set(sizes)) == 1
    if template in FIXED_PAGES:
        assert len(sizes) == FIXED_PAGES[template]

    # Type: nothing under the small floor; steps and safety at the body floor.
    body_floor, small_floor = FLOORS.get(template, (12, 9))
    assert min(word.size for word in printed) >= small_floor - 0.01
    for section in content.sections:
        for step in section.steps:
            hits = find(printed, step)
            assert hits, f"step not printed: {step!r}"
            assert all(hit.size >= body_floor - 0.01 for hit in hits), (step, [h.size for h in hits])
    for item in content.safety:
        hits = find(printed, item, 3)
        assert hits and all(hit.size >= body_floor - 0.01 for hit in hits), item
    if content.sidebar and template != "cue-card":
        hits = find(printed, content.sidebar.takeaway, 3)
        assert hits and hits[0].size >= body_floor - 0.01

    # The steps of a section stay on one page (of each card, on the cue card).
    for section in content.sections:
        if section.steps:
            pages = {find(printed, step)[0].page for step in section.steps}
            assert len(pages) == 1, (section.heading, pages)

    # No word printed over another.
    assert overlaps(printed) == []

    # Half an inch of paper around the text; nothing near a card's cut or a fold.
    width, height = sizes[0]
    for word in printed:
        assert MARGIN - 0.5 <= word.x0 and word.x1 <= width - MARGIN + 0.5, word
        assert MARGIN - 0.5 <= word.top and word.bottom <= height - MARGIN + 0.5, word
        if template == "cue-card":
            assert abs((word.top + word.bottom) / 2 - height / 2) > MARGIN, word
        if template == "trifold":
            for fold in (width / 3, 2 * width / 3):
                assert not (word.x0 - 12 < fold < word.x1 + 12), word

    assert unembedded_fonts(pdf) == set()


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_every_way_to_reach_the_studio_is_a_live_link(built, template, paper):
    uris = links(built("knee-folds", template, paper, "en", "branded"))
    assert "mailto:bookings@saltmarsh-ridge-pilates.example" in uris
    assert "tel:+4401632960418" in uris
    assert "https://saltmarsh-ridge-pilates.example/classes/mat" in uris
    assert "https://saltmarsh-ridge-pilates.example/videos/home-practice/knee-folds" in uris


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("paper", ["letter", "a4"])
@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_printed_web_address_breaks_only_before_a_slash(built, template, paper, lang):
    """Under its QR code, each line of an address is whole pieces of it: never a word cut in two."""
    pieces = {"saltmarsh-ridge-pilates.example", "/classes", "/mat", "/videos", "/home-practice", "/knee-folds"}
    printed = words(built("knee-folds", template, paper, lang, "branded"))
    lines = [word.text for word in printed if "saltmarsh-ridge" in word.text or word.text.startswith("/")]
    assert lines, "no address printed"
    for line in lines:
        parts = line.replace("/", " /").split()
        assert all(part in pieces for part in parts if "@" not in part), (line, template, paper)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_bundled_cue_card_holds_a_studio_with_every_contact_field_and_a_video(tmp_path, lang):
    """The tutorial's studio (every field init offers, a video with a long address) on a Letter card."""
    import shutil

    import yaml

    shutil.copytree(FIT / "branded", tmp_path / "studio")
    studio = yaml.safe_load((tmp_path / "studio" / "studio.yaml").read_text(encoding="utf-8"))
    studio["contact"] = {"phone": "(555) 014-2290", "email": "hello@harbourlight.example",
                         "address": "12 Quay Street, Harbour Town", "website": "https://harbourlight.example",
                         "video": "https://harbourlight.example/videos/constructive-rest"}
    studio["name"] = "Harbour Light Movement"
    studio["disclaimer"] = {  # init's, two lines long on a card
        "en": "This handout is for education only. It is not medical advice. If you have a health condition, "
              "ask your doctor or physical therapist before you start.",
        "es": "Esta hoja es solo para informarte. No es consejo médico. Si tienes algún problema de salud, "
              "pregunta a tu médico o fisioterapeuta antes de empezar."}
    (tmp_path / "studio" / "studio.yaml").write_text(yaml.safe_dump(studio, allow_unicode=True), encoding="utf-8")
    for personal in ({}, {"client": CLIENT, "note": NOTE, "class_name": CLASS, "date": DATE}):
        pdf = build_handout(CONTENT["constructive-rest"][lang], template="cue-card", paper="letter",
                            project=Project(root=tmp_path / "studio"), out_dir=tmp_path / "out", **personal).path
        assert "https://harbourlight.example/videos/constructive-rest" in links(pdf)


def test_a_short_handout_set_large_keeps_its_addresses_whole(tmp_path):
    """Short content takes a layout's roomiest setting, over 12 pt: the codes' captions still break at slashes."""
    import shutil

    import yaml

    shutil.copytree(FIT / "branded", tmp_path / "studio")
    studio = yaml.safe_load((tmp_path / "studio" / "studio.yaml").read_text(encoding="utf-8"))
    studio["name"] = "Northshore Pilates & Physio Collective"
    studio["contact"] = {"phone": "+1 (555) 018-7734", "email": "front-desk@northshore-pilates.example",
                         "address": "Unit 4, 220 Lakeside Boulevard, Northshore Village",
                         "website": "https://northshore-pilates.example/classes",
                         "video": "https://northshore-pilates.example/videos/home-practice"}
    (tmp_path / "studio" / "studio.yaml").write_text(yaml.safe_dump(studio, allow_unicode=True), encoding="utf-8")
    content = yaml.safe_load((FIT / "content" / "knee-folds.en.yaml").read_text(encoding="utf-8"))
    content["sections"] = [{key: value for key, value in content["sections"][1].items() if key != "picture"}]
    content["safety"] = content["safety"][:2]
    content.pop("illustration", None)
    short = tmp_path / "content" / "short.en.yaml"
    short.parent.mkdir()
    short.write_text(yaml.safe_dump(content, allow_unicode=True), encoding="utf-8")
    pieces = {"northshore-pilates.example", "/classes", "/videos", "/home-practice"}
    for paper in ("letter", "a4"):
        pdf = build_handout(short, template="cue-card", paper=paper, project=Project(root=tmp_path / "studio"),
                            out_dir=tmp_path / "out").path
        lines = [w.text for w in words(pdf) if "northshore-pilates.example" in w.text and "@" not in w.text
                 or w.text.startswith("/") or w.text in ("s", "es")]
        assert lines and all(part in pieces for line in lines for part in line.replace("/", " /").split()), lines


@pytest.mark.parametrize("template", TEMPLATES)
def test_the_personal_box_prints_each_item_on_a_line_of_its_own(built, template):
    printed = words(built("knee-folds", template, "letter", "en", "personal"))
    name = find(printed, "Zoë Łukasz-Ørsted Fernández", 3)
    assert name, "the client's name is not printed"
    parts = [w for w in printed if w.page == 1 and w.text in ("Zoë", "Łukasz-Ørsted", "Fernández")]
    assert [w.text for w in parts] == ["Zoë", "Łukasz-Ørsted", "Fernández"]
    box_width = _box_width(template)
    if len({round(w.top) for w in parts}) > 1:
        width = sum(w.x1 - w.x0 for w in parts) + 2 * parts[0].size * 0.25
        assert width > box_width - 14, "a name that fits a line is never broken between first and last name"
    date = find(printed, "1 December 2026", 3)[0]
    klass = find(printed, CLASS, 3)[0]
    lines = [round(parts[-1].top), round(date.top), round(klass.top)]
    assert len(set(lines)) == 3, "name, date and class each keep their line"


def _box_width(template: str) -> float:
    from handouts.layout.templating import find_template

    return find_template(Project(), template).box_rect("letter")[2]


def test_a_box_that_splits_is_closed_on_every_piece(tmp_path):
    """The safety list, too long for one column, goes on in the next: each piece has its four edges."""
    import pdfplumber
    import yaml

    data = yaml.safe_load((FIT / "content" / "knee-folds.en.yaml").read_text(encoding="utf-8"))
    data["safety"] = data["safety"] * 4
    content = tmp_path / "content" / "long-safety.en.yaml"
    content.parent.mkdir()
    content.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    for image in (FIT / "content" / "images").iterdir():
        (tmp_path / "content" / "images").mkdir(exist_ok=True)
        (tmp_path / "content" / "images" / image.name).write_bytes(image.read_bytes())
    pdf = build_handout(content, template="classic", out_dir=tmp_path / "out", project=Project(root=FIT / "plain"),
                        date=DATE).path
    pieces = 0
    with pdfplumber.open(pdf) as document:
        for page in document.pages:
            words = page.extract_words()
            heads = [w for w, after in zip(words, words[1:]) if (w["text"], after["text"]) == ("Safety", "first")]
            rules = [line for line in page.lines if abs(line["top"] - line["bottom"]) < 0.5
                     and abs(line.get("linewidth", 0) - 1.6) < 0.2]
            for head in heads:
                pieces += 1
                mine = [rule for rule in rules if rule["x0"] <= head["x0"] <= rule["x1"]]
                assert any(rule["top"] < head["top"] for rule in mine), f"piece on page {page.page_number}: no top"
                below = [rule["top"] for rule in mine if rule["top"] > head["bottom"]]
                assert below, f"the piece of the box on page {page.page_number} has no bottom edge"
                inside = [w for w in words if head["x0"] - 12 <= w["x0"] <= max(r["x1"] for r in mine)
                          and head["top"] <= w["top"] <= min(below)]
                assert inside[-1]["bottom"] <= min(below)
    assert pieces >= 2  # it did split
