"""Every built-in layout, on every paper, with every bundled content: what prints and where.

Each combination is rendered once per session. The checks read the real
output: page sizes and counts, the text of each part, text sizes, and the
pixels along the trifold's folds and the cue card's cut line.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader
from typer.testing import CliRunner

from handouts.build import build_handout, prepare, render_pdf
from handouts.cli import app
from handouts.content import markup
from handouts.content.load import load_content
from handouts.content.models import Personal, Reference
from handouts.errors import LayoutOverflowError, TemplateError
from handouts.layout import fitting
from handouts.layout.preview import page_pngs
from handouts.layout.templating import find_template
from handouts.project import Project

from conftest import ROOT, pdf_text, uncited
from pdfcheck import words as printed_words

TEMPLATES = ["classic", "trifold", "large-print", "cue-card"]
FIT = ROOT / "tests" / "data" / "fit"
PAPERS = {"letter": (612, 792), "a4": (595, 842)}
LANGS = ["en", "es"]
PERSONAL = Personal(client="Zoë Łukasz", note="A folded towel under your head", date=dt.date(2026, 12, 1))
LONG = Personal(client="Zoë Łukasz-Ørsted Fernández", note="Use a folded towel under your head; go gently on the left hip.",
                class_name="Saturday Open Class 9:30", date=dt.date(2026, 12, 1))
runner = CliRunner()


def content(lang: str) -> dict:
    return yaml.safe_load((ROOT / "content" / f"constructive-rest.{lang}.yaml").read_text(encoding="utf-8"))


def knee_folds(lang: str) -> dict:
    """Our own handout (tests/data/fit), longer than the bundled one and of another exercise."""
    return yaml.safe_load((FIT / "content" / f"knee-folds.{lang}.yaml").read_text(encoding="utf-8"))


def labels(lang: str) -> dict:
    return yaml.safe_load((ROOT / "templates" / "_base" / "labels" / f"{lang}.yaml").read_text(encoding="utf-8"))


def words(text: str) -> str:
    return " ".join(markup.strip(text).split())


@pytest.fixture(scope="session")
def rendered(project):
    """``rendered(template, paper, lang, personal=False)``: one render per combination per session."""
    cache = {}

    def get(template, paper, lang, personal=False):
        key = (template, paper, lang, personal)
        if key not in cache:
            job = prepare(project, template=template, paper=paper, lang=lang)
            cache[key] = render_pdf(job, PERSONAL if personal else None)
        return cache[key]

    return get


@pytest.fixture(scope="session")
def knee():
    """``knee(template, paper, lang, studio="plain", personal=False)``: knee-folds, rendered once per combination,
    with the job (its template's ``fit`` settings) beside the render. ``personal``: True for a short name and
    note, "long" for a long name, a 62-character note and a class name."""
    cache = {}

    def get(template, paper, lang, studio="plain", personal=False):
        key = (template, paper, lang, studio, personal)
        if key not in cache:
            job = prepare(Project(root=FIT / studio), FIT / "content" / f"knee-folds.{lang}.yaml",
                          template=template, paper=paper, lang=lang)
            cache[key] = job, render_pdf(job, {False: None, True: PERSONAL, "long": LONG}[personal])
        return cache[key]

    return get


def page_sizes(pdf: bytes) -> list[tuple[int, int]]:
    return [(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in PdfReader(io.BytesIO(pdf)).pages]


def text_sizes(pdf: bytes) -> list[tuple[str, float]]:
    """Every run of text with its font size, in drawing order."""
    runs = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        page.extract_text(visitor_text=lambda text, cm, tm, font, size: runs.append((text, size)))
    return [(" ".join(text.split()), size) for text, size in runs if text.strip()]


def smallest_size(pdf: bytes, phrases: list[str]) -> float:
    """The smallest size of any run of 24+ characters (not a label in the picture) within ``phrases``."""
    sizes = [size for text, size in text_sizes(pdf) if len(text) >= 24 and any(text in p for p in phrases)]
    assert sizes, "no run of the phrases was found"
    return min(sizes)


COMBOS = [(t, p, lang) for t in TEMPLATES for p in PAPERS for lang in LANGS]


@pytest.mark.parametrize("template,paper,lang", COMBOS)
def test_layout_prints_every_required_part(rendered, template, paper, lang):
    data = content(lang)
    text = uncited(pdf_text(rendered(template, paper, lang).pdf))
    assert data["title"] in text
    for section in data["sections"]:
        for step in section.get("steps", []):
            assert words(step) in text
        if template != "cue-card":
            assert section["heading"] in text
            for bullet in section.get("bullets", []):
                assert words(bullet) in text
    for item in data["safety"]:
        assert words(item) in text
    if template != "cue-card":
        assert words(data["sidebar"]["takeaway"]) in text
        for position in data["sidebar"]["positions"]:
            assert position["label"] in text and words(position["summary"]) in text


@pytest.mark.parametrize("template,paper,lang", COMBOS)
def test_page_size_count_and_no_empty_page(rendered, template, paper, lang):
    result = rendered(template, paper, lang)
    width, height = PAPERS[paper]
    expected = (height, width) if template == "trifold" else (width, height)
    assert page_sizes(result.pdf) == [expected] * result.pages
    assert {"trifold": result.pages == 2, "cue-card": result.pages == 2, "classic": result.pages <= 2,
            "large-print": result.pages >= 3}[template]
    for page in PdfReader(io.BytesIO(result.pdf)).pages:
        assert len(page.extract_text().split()) > 20


#: The type floors (issue 10): body text (steps, sections, safety, the debate) and small text (sources,
#: captions, the disclaimer), on every paper.
FLOORS = {"classic": (12, 9), "trifold": (12, 9), "cue-card": (12, 9), "large-print": (16, 14)}


@pytest.mark.parametrize("template", TEMPLATES)
def test_body_text_size(knee, template):
    """Steps and the safety list print at the type size the fitting step chose, never under the floor."""
    data = knee_folds("en")
    steps = [words(s) for section in data["sections"] for s in section.get("steps", [])]
    safety = [words(s) for s in data["safety"]]
    job, result = knee(template, "letter", "en")
    chosen = job.template.info.fit[result.level]["size"]
    assert chosen >= FLOORS[template][0]
    assert smallest_size(result.pdf, steps) == pytest.approx(chosen)
    assert smallest_size(result.pdf, safety) == pytest.approx(chosen)


def test_large_print_sidebar_and_sources_stay_large(knee):
    data = knee_folds("en")
    result = knee("large-print", "a4", "en")[1].pdf
    body, small = FLOORS["large-print"]
    points = [words(p) for position in data["sidebar"]["positions"] for p in position["points"]]
    assert smallest_size(result, points) >= body
    assert smallest_size(result, [Reference(**ref).formatted() for ref in data["references"]]) >= small


@pytest.mark.parametrize("paper", PAPERS)
def test_large_print_practice_log_takes_one_page_of_its_own(project, rendered, paper):
    job = prepare(project, template="large-print", paper=paper, lang="es", practice_log=True)
    result = render_pdf(job)
    assert result.pages == rendered("large-print", paper, "es").pages + 1
    last = PdfReader(io.BytesIO(result.pdf)).pages[-1].extract_text().split()
    assert "Hecho" in last and "Minutos" in last and "Domingo" in last


def grey(pdf: bytes, page: int):
    from PIL import Image

    return Image.open(io.BytesIO(page_pngs(pdf, scale=1.0)[page])).convert("L")


@pytest.mark.parametrize("paper", PAPERS)
def test_trifold_folds_fall_between_panels(rendered, paper):
    """Nothing but the short fold marks at the edges lies within 8 pt of either fold."""
    result = rendered("trifold", paper, "es", personal=True)
    for page in range(2):
        image = grey(result.pdf, page)
        for fold in (image.width / 3, 2 * image.width / 3):
            band = image.crop((int(fold) - 8, 30, int(fold) + 9, image.height - 30))
            assert band.getextrema()[0] >= 250, f"ink on the fold at x={fold:.0f}, page {page + 1}"


@pytest.mark.parametrize("paper", PAPERS)
def test_trifold_personal_box_is_on_the_cover(knee, paper):
    """The box stands on the cover (the right third of the outside), clear of the fold and the edge,
    and the client's name prints inside it."""
    template = find_template(Project(root=ROOT), "trifold")
    x, y, width, height = template.box_rect(paper)
    page_width, page_height = template.page_size(paper)
    assert 2 * page_width / 3 + 12 <= x and x + width <= page_width - 36
    name = [w for w in printed_words(knee("trifold", paper, "en", personal=True)[1].pdf) if w.text in ("Zoë", "Łukasz")]
    assert [(w.page, w.text) for w in name] == [(1, "Zoë"), (1, "Łukasz")]
    assert all(x <= w.x0 and w.x1 <= x + width and page_height - y - height <= w.top and w.bottom <= page_height - y
               for w in name)


@pytest.mark.parametrize("studio", ["plain", "branded"])
def test_trifold_back_panel_holds_the_contact_and_disclaimer(knee, studio):
    """The brochure's back (the middle of the outside) carries the studio's contact and the disclaimer,
    also when the debate ends on the flap and leaves the back otherwise empty."""
    job, result = knee("trifold", "letter", "en", studio)
    page_width = job.template.page_size("letter")[0]
    outside = [w for w in printed_words(result.pdf) if w.page == 1]
    first = next(w for w in outside if w.text == job.studio.name.split()[0] and w.top > 300)
    disclaimer = [w for w in outside if w.text == "medical"]
    assert page_width / 3 < first.x0 < 2 * page_width / 3
    assert disclaimer and all(page_width / 3 < w.x0 < 2 * page_width / 3 for w in disclaimer)


@pytest.mark.parametrize("personal", [False, True])
def test_trifold_outline_has_every_part(knee, personal):
    """A bookmark for every part the brochure prints, in reading order: the key points on the cover
    (or inside, before the safety list, at a setting that moves them there), the debate and the sources
    outside, then the safety list and the sections with steps, bullets or a picture inside."""
    data, words_of = knee_folds("es"), labels("es")
    job, result = knee("trifold", "letter", "es", personal=personal)
    titles = [item.title for item in PdfReader(io.BytesIO(result.pdf)).outline]
    outside = [data["sidebar"]["title"], words_of["sources"]]
    inside = [words_of["safety"]] + [s["heading"] for s in data["sections"]
                                     if s.get("steps") or s.get("bullets") or s.get("picture")]
    if job.template.info.fit[result.level]["cover_points"]:
        assert titles == [words_of["key_points"], *outside, *inside]
    else:
        assert titles == [*outside, words_of["key_points"], *inside]


def halves(pdf: bytes, page: int, height: float) -> tuple[str, str]:
    """The text of the top and the bottom half of a page."""
    top, bottom = [], []
    reader = PdfReader(io.BytesIO(pdf))

    def visit(text, cm, tm, font, size):
        y = tm[5] * cm[3] + cm[5]
        (top if y > height / 2 else bottom).append(text)

    reader.pages[page].extract_text(visitor_text=visit)
    return " ".join("".join(top).split()), " ".join("".join(bottom).split())


@pytest.mark.parametrize("paper", PAPERS)
def test_cue_card_is_two_identical_cards_front_and_back(knee, paper):
    """Unpersonalised, the two cards of a sheet are the same card: the title and every step on the front,
    the safety list and the studio's contact on the back (a fully branded studio)."""
    data = knee_folds("en")
    result = knee("cue-card", paper, "en", studio="branded")[1]
    height = PAPERS[paper][1]
    front_top, front_bottom = halves(result.pdf, 0, height)
    back_top, back_bottom = halves(result.pdf, 1, height)
    assert front_top == front_bottom and back_top == back_bottom
    front, back = uncited(front_top), uncited(back_top)
    assert data["title"] in front
    assert all(words(step) in front for section in data["sections"] for step in section.get("steps", []))
    assert all(words(item) in back for item in data["safety"])
    assert "bookings@saltmarsh-ridge-pilates.example" in back


@pytest.mark.parametrize("paper", PAPERS)
def test_cue_card_keeps_clear_of_the_cut(rendered, paper):
    """Within 30 pt of the cut line there is only the dashed line itself."""
    result = rendered("cue-card", paper, "es", personal=True)
    for page in range(2):
        image = grey(result.pdf, page)
        cut = image.height / 2
        for top, bottom in ((cut - 30, cut - 2), (cut + 2, cut + 30)):
            assert image.crop((0, int(top), image.width, int(bottom))).getextrema()[0] >= 250


def test_large_print_personal_box_spans_the_column():
    template = find_template(Project(root=ROOT), "large-print")
    for paper in PAPERS:
        x, _, width, _ = template.box_rect(paper)
        assert x == 54 and x + width == template.page_size(paper)[0] - 54
    assert template.info.personal_box.text_scale >= 1.4


def trifold_panels(marks) -> bool:
    """The cover ends with a marker; so do the flow from the flap on to the back (in whichever of the two
    it ends) and the flow through the inside's three panels."""
    ends = [(m.page, m.panel) for m in marks]
    return len(ends) == 3 and ends[0] == (1, "cover") and ends[1] in {(1, "flap"), (1, "back")} and \
        ends[2] in {(2, "inside-left"), (2, "inside-middle"), (2, "inside-right")}


CUE_CARD_PANELS = {(1, f"{card}-{part}") for card in ("top", "bottom") for part in ("pictures", "steps")} | \
    {(2, "top-back"), (2, "bottom-back")}
PANELS = {"trifold": trifold_panels, "cue-card": lambda marks: {(m.page, m.panel) for m in marks} == CUE_CARD_PANELS}


@pytest.mark.parametrize("template", PANELS)
def test_fixed_panels_report_the_room_left_in_each(rendered, template):
    """A marker ends every fixed panel and every flow through panels, so the fitting step knows the room left."""
    from handouts.layout.fit import tightest

    for paper in PAPERS:
        for lang in LANGS:
            marks = [m for m in rendered(template, paper, lang, personal=True).marks if not m.label]
            assert PANELS[template](marks), [(m.page, m.panel) for m in marks]
            assert all(0 <= m.free < m.height for m in marks)
            assert tightest(marks).free == min(m.free for m in marks)


def write_content(folder, change) -> Path:
    """knee-folds with one change, in ``folder``'s content folder with its pictures."""
    data = knee_folds("en")
    change(data)
    shutil.copytree(FIT / "content" / "images", folder / "content" / "images", dirs_exist_ok=True)
    path = folder / "content" / "long.en.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def refused(path, template, folder) -> str:
    """The refusal a build of ``path`` on ``template`` gives, after checking it wrote nothing."""
    out = folder / "out"
    with pytest.raises(LayoutOverflowError) as error:
        build_handout(path, template=template, out_dir=out, project=Project(root=FIT / "plain"))
    assert not out.exists() or not list(out.iterdir())
    return str(error.value)


def test_trifold_overflow_names_panel_section_and_size_and_writes_nothing(tmp_path):
    """Steps beyond the inside's three panels: the section is named, at its line, with the words to cut;
    cutting them builds."""
    def longer(data):
        data["sections"][2]["steps"] *= 12

    path = write_content(tmp_path, longer)
    message = refused(path, "trifold", tmp_path)
    found = re.match(rf"{re.escape(str(path))}:\d+:\d+: sections\.2: template 'trifold': no room for section "
                     r"'Getting up' \(sections\.2\) in panel 'inside-(?:left|middle|right)', even at its smallest "
                     r"type \(12 pt\): about (\d+) words too many", message)
    assert found, message
    trimmed = fitting.trim(load_content(path), "sections.2", int(found.group(1)))
    path.write_text(yaml.safe_dump(trimmed.model_dump(mode="json", exclude_none=True), allow_unicode=True,
                                   sort_keys=False), encoding="utf-8")
    assert build_handout(path, template="trifold", out_dir=tmp_path / "out", project=Project(root=FIT / "plain")).pages == 2


def test_trifold_flap_overflow_is_an_error(tmp_path):
    """A debate too long for the flap and the back panel it goes on to is refused, naming the debate."""
    extra = " They say it helps some people and not others, and you find out only by trying it slowly for a week."

    def longer(data):
        views = data["sidebar"]["positions"]
        data["sidebar"]["positions"] = [dict(view, label=f"{view['label']} {n}", summary=view["summary"] + extra * 2)
                                        for n in range(1, 5) for view in views]

    message = refused(write_content(tmp_path, longer), "trifold", tmp_path)
    assert re.search(r":\d+:\d+: sidebar: template 'trifold': no room for the debate \('The breath question', "
                     r"sidebar\) in panel 'flap', even at its smallest type \(12 pt\): about \d+ words too many",
                     message), message


@pytest.mark.parametrize("grown", [
    pytest.param(2, id="the-last-step-list"),
    pytest.param(1, id="an-earlier-step-list"),
])
def test_cue_card_overflow_names_the_steps(tmp_path, grown):
    """Steps beyond the card's steps panel: the section that grew is named, with the words to cut."""
    def longer(data):
        data["sections"][grown]["steps"] *= 5 if grown == 2 else 2

    heading = knee_folds("en")["sections"][grown]["heading"]
    message = refused(write_content(tmp_path, longer), "cue-card", tmp_path)
    assert re.search(rf"sections\.{grown}: template 'cue-card': no room for section '{heading}' \(sections\.{grown}\) "
                     r"in panel 'steps'.*, even at its smallest type \(12 pt\): about \d+ words too many", message), message


def test_a_studio_template_shadows_the_built_in(studio_dir):
    folder = studio_dir / "templates" / "classic"
    folder.mkdir(parents=True)
    (folder / "template.yaml").write_text("title: Plain\ndescription: A studio's own sheet.\n", encoding="utf-8")
    (folder / "handout.rml.j2").write_text(
        '{% import "_base/macros.rml.j2" as m with context %}{{ m.document_open(meta) }}'
        '<template><pageTemplate id="p"><frame id="f" x1="72" y1="72" width="400" height="600"/></pageTemplate>'
        '</template>{{ m.stylesheet(colors) }}<story><para style="title">{{ content.title|text }}</para>'
        '{{ m.safety(content, labels) }}{{ m.references(content, labels) }}{{ m.story_end() }}</story></document>',
        encoding="utf-8")
    project = Project(root=studio_dir)
    built = build_handout(template="classic", out_dir=studio_dir / "out", project=project)
    text = pdf_text(built.path)
    assert content("en")["title"] in text and words(content("en")["safety"][0]).split(",")[0] in text
    assert content("en")["sidebar"]["title"] not in text
    assert find_template(project, "classic").folder == folder


@pytest.mark.parametrize("template,block", [("trifold", "header"), ("large-print", "sidebar"), ("cue-card", "steps")])
def test_a_studio_template_extends_the_built_in_it_shadows(studio_dir, template, block):
    """One block changes; top-level variables and the macros stay visible inside it."""
    folder = studio_dir / "templates" / template
    folder.mkdir(parents=True)
    (folder / "template.yaml").write_text((ROOT / "templates" / template / "template.yaml").read_text(encoding="utf-8"),
                                          encoding="utf-8")
    (folder / "handout.rml.j2").write_text(
        f'{{% extends "!builtin/{template}/handout.rml.j2" %}}'
        f'{{% block {block} %}}{{{{ super() }}}}<para style="small">Width {{{{ "%d"|format(W) }}}}</para>'
        f'{{{{ m.studio_line(studio) }}}}{{% endblock %}}', encoding="utf-8")
    built = build_handout(template=template, paper="a4", out_dir=studio_dir / "out", project=Project(root=studio_dir))
    text = pdf_text(built.path)
    assert "Width 595" in text or "Width 841" in text
    assert words(content("en")["safety"][0]).split(",")[0] in text


def test_unknown_template_lists_names_and_folders(studio_dir):
    with pytest.raises(TemplateError) as error:
        find_template(Project(root=studio_dir), "tri-fold")
    hint = error.value.problems[0].hint
    assert "classic, cue-card, large-print, trifold" in hint
    assert str(studio_dir / "templates") in hint and str(ROOT / "templates") in hint


def test_cli_templates_lists_every_layout(monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    result = runner.invoke(app, ["templates"])
    assert result.exit_code == 0, result.output
    assert result.stdout == runner.invoke(app, ["templates", "list"]).stdout
    for name in TEMPLATES:
        info = yaml.safe_load((ROOT / "templates" / name / "template.yaml").read_text(encoding="utf-8"))
        line = next(line for line in result.stdout.splitlines() if line.startswith(name + " "))
        assert "(studio)" not in line and info["title"] in line and "letter, a4" in line and info["description"] in line


def test_cli_templates_show_writes_a_thumbnail(tmp_path):
    from PIL import Image

    result = runner.invoke(app, ["templates", "show", "trifold", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "pages: 2 pages" in result.stdout and "landscape" in result.stdout and "header" in result.stdout
    thumbnail = tmp_path / "trifold-thumbnail.png"
    assert result.stdout.strip().endswith(str(thumbnail))
    width, height = Image.open(thumbnail).size
    assert abs(width - 792 * 0.6) <= 1 and abs(height - 612 * 0.6) <= 1


def test_cli_preview_writes_every_page(tmp_path):
    from PIL import Image

    result = runner.invoke(app, ["preview", "--template", "cue-card", "--paper", "a4", "--lang", "es", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    paths = result.stdout.split()
    assert paths == [str(tmp_path / f"constructive-rest.es.cue-card.a4-p{n}.png") for n in (1, 2)]
    width, height = Image.open(paths[0]).size
    assert abs(width - 595.2756 * 1.5) <= 1 and abs(height - 841.8898 * 1.5) <= 1
    assert sorted(p.name for p in tmp_path.iterdir()) == [p.rsplit("/", 1)[1] for p in paths]


def test_cli_unknown_template_is_one_line_exit_1(tmp_path):
    result = runner.invoke(app, ["templates", "show", "nope", "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: unknown template 'nope'") and "searched" in result.stderr
    assert not list(tmp_path.iterdir())


def test_cli_templates_show_uses_a_paper_the_template_prints_on(studio_dir, tmp_path):
    from PIL import Image

    folder = studio_dir / "templates" / "a4-only"
    folder.mkdir(parents=True)
    (folder / "template.yaml").write_text("title: A4 only\ndescription: An A4 sheet.\nextends: classic\npapers: [a4]\n",
                                          encoding="utf-8")
    (folder / "handout.rml.j2").write_text('{% extends "!builtin/classic/handout.rml.j2" %}', encoding="utf-8")
    result = runner.invoke(app, ["--project", str(studio_dir), "templates", "show", "a4-only", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    width, height = Image.open(tmp_path / "a4-only-thumbnail.png").size
    assert abs(width - 595.2756 * 0.6) <= 1 and abs(height - 841.8898 * 0.6) <= 1
    listed = runner.invoke(app, ["--project", str(studio_dir), "templates"], env={"COLUMNS": "200"}).stdout
    assert "a4-only (studio)" in listed and "classic " in listed


def filled(pdf: bytes, top: float, bottom: float) -> list[float]:
    """Per page, how far down its text frame (``top``/``bottom`` points from the page's top/bottom)
    ink reaches: 1.0 is a full page. Pixels, so a picture counts as much as text."""
    fills = []
    for number in range(len(PdfReader(io.BytesIO(pdf)).pages)):
        image = grey(pdf, number)
        rows = [y for y in range(int(top), int(image.height - bottom))
                if image.crop((0, y, image.width, y + 1)).getextrema()[0] < 200]
        fills.append((max(rows, default=top) - top) / (image.height - bottom - top))
    return fills


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("personal", [False, True])
def test_large_print_wastes_no_paper(rendered, paper, lang, personal):
    """Every page but the last is at least 70 % full: headings keep two lines of their
    text, not whole paragraphs, and the picture and boxes do not jump a page for a few points."""
    result = rendered("large-print", paper, lang, personal=personal)
    fills = filled(result.pdf, top=54, bottom=54 + 3 * 16 + 14)
    assert min(fills[:-1]) >= 0.7, [f"{fill:.0%}" for fill in fills]


def char_sizes(pdf: bytes, page: int, phrase: str) -> list[tuple[float, int]]:
    """Font size and weight of each character of ``phrase`` where it first prints on ``page``
    (a space of ``phrase`` matches any line break or spaces)."""
    import pypdfium2
    import pypdfium2.raw as raw

    document = pypdfium2.PdfDocument(pdf)
    try:
        text = document[page].get_textpage()
        found = re.search(r"\s+".join(map(re.escape, phrase.split())), text.get_text_range())
        assert found, f"{phrase!r} not on page {page + 1}"
        return [(raw.FPDFText_GetFontSize(text, i), raw.FPDFText_GetFontWeight(text, i))
                for i in range(found.start(), found.end()) if not text.get_text_range(i, 1).isspace()]
    finally:
        document.close()


@pytest.mark.parametrize("paper", PAPERS)
def test_large_print_is_large_where_a_client_reads(knee, paper):
    """Large print's floors where a client reads: the name (bold) and the note in the box, the studio and
    the time at 16 pt or more; the box's date and class, the footer, the sources and the QR codes'
    captions at 14 pt or more. A fully branded studio, a long name, a long note and a class name."""
    body, small = FLOORS["large-print"]
    data, words_of = knee_folds("en"), labels("en")
    pdf = knee("large-print", paper, "en", studio="branded", personal="long")[1].pdf
    name = char_sizes(pdf, 0, LONG.client)
    assert min(size for size, _ in name) >= body and min(weight for _, weight in name) >= 600
    for phrase, floor in ((LONG.note, body), ("Saltmarsh & Ridge Pilates", body), (data["duration"], body),
                          ("1 December 2026", small), (LONG.class_name, small),
                          (f"{words_of['page']} 1 {words_of['page_of']}", small)):
        assert min(size for size, _ in char_sizes(pdf, 0, phrase)) >= floor, phrase
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
    last = [(len(pages) - 1, words_of["website"]), (len(pages) - 1, words_of["video"])]
    for page, phrase in last + [(next(i for i, text in enumerate(pages) if ref["authors"] in text), ref["authors"])
                                for ref in data["references"]]:
        assert min(size for size, _ in char_sizes(pdf, page, phrase)) >= small, phrase
