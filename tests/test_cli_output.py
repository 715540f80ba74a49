"""What a build leaves and says: exactly the file --out names, how to print a layout, every layout at a glance."""

from __future__ import annotations

import json

import pytest
import yaml
from PIL import Image
from typer.testing import CliRunner

from handouts.build import build_handout
from handouts.cli import app
from handouts.errors import TemplateError
from handouts.layout.gallery import GAP, HEIGHT, LABEL
from handouts.project import Project

from conftest import ROOT, pdf_text

runner = CliRunner()
TRIFOLD = "print on both sides, flip on the short edge, then fold in thirds"
CUE_CARD = "print on both sides, flip on the long edge, cut on the dashed line"


@pytest.fixture(autouse=True)
def terminal(monkeypatch):
    monkeypatch.setenv("COLUMNS", "120")


def studio_template(studio_dir, name: str, meta: str):
    """A studio layout of its own: the built-in classic one under another name and template.yaml."""
    folder = studio_dir / "templates" / name
    folder.mkdir(parents=True)
    (folder / "template.yaml").write_text(meta, encoding="utf-8")
    (folder / "handout.rml.j2").write_text('{% extends "!builtin/classic/handout.rml.j2" %}', encoding="utf-8")
    return folder


def test_out_naming_a_pdf_writes_exactly_that_file(tmp_path):
    target = tmp_path / "for-the-front-desk.PDF"
    result = runner.invoke(app, ["build", "--client", "Zoë Łukasz", "--out", str(target)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["for-the-front-desk.PDF"]
    assert "Zoë Łukasz" in pdf_text(target)


def test_out_naming_a_pdf_in_a_new_folder(tmp_path):
    target = tmp_path / "new" / "folder" / "rest.pdf"
    result = runner.invoke(app, ["build", "--out", str(target), "--keep-rml"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in target.parent.iterdir()) == ["rest.pdf", "rest.rml"]


def test_out_naming_a_folder_ending_in_pdf_is_refused(tmp_path):
    folder = tmp_path / "odd.pdf"
    folder.mkdir()
    result = runner.invoke(app, ["build", "--out", str(folder)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: --out: '{folder}' is a folder (hint: ")


@pytest.mark.parametrize("template, lang, line", [
    ("trifold", "en", TRIFOLD),
    ("cue-card", "en", CUE_CARD),
    ("trifold", "es", "imprime a doble cara, volteando por el borde corto, y dobla la hoja en tres"),
    ("cue-card", "es", "imprime a doble cara, volteando por el borde largo, y corta por la línea discontinua"),
])
def test_a_layout_that_prints_one_way_says_how(tmp_path, template, lang, line):
    result = runner.invoke(app, ["build", "--template", template, "--lang", lang, "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [line]
    assert result.stdout.strip().endswith(f"constructive-rest.{lang}.{template}.letter.pdf")
    as_json = runner.invoke(app, ["build", "--template", template, "--lang", lang, "--out", str(tmp_path), "--json"])
    assert json.loads(as_json.stdout)["details"]["printing"] == line and as_json.stderr == ""
    assert runner.invoke(app, ["build", "-t", template, "--lang", lang, "-o", str(tmp_path), "-q"]).output == ""


def test_a_layout_that_prints_any_way_says_nothing(tmp_path):
    for template in ("classic", "large-print"):
        result = runner.invoke(app, ["build", "--template", template, "--out", str(tmp_path)])
        assert result.exit_code == 0 and result.stderr == ""


def test_the_build_api_returns_the_instruction(tmp_path):
    project = Project(root=ROOT)
    assert build_handout(project=project, template="cue-card", out_dir=tmp_path).printing == CUE_CARD
    assert build_handout(project=project, template="classic", out_dir=tmp_path).printing is None


def test_every_fixed_layout_names_a_label_both_catalogues_have():
    catalogues = [yaml.safe_load((ROOT / "templates" / "_base" / "labels" / f"{lang}.yaml").read_text("utf-8"))
                  for lang in ("en", "es")]
    for meta in (ROOT / "templates").glob("*/template.yaml"):
        info = yaml.safe_load(meta.read_text(encoding="utf-8"))
        if info.get("fixed_pages"):
            assert all(info["printing"] in catalogue for catalogue in catalogues), meta


def test_a_printing_label_that_does_not_exist_is_an_error_at_template_yaml(studio_dir, tmp_path):
    folder = studio_template(studio_dir, "folded", "title: Folded\ndescription: A folded sheet.\nprinting: print_folded\n")
    with pytest.raises(TemplateError) as error:
        build_handout(project=Project(root=studio_dir), template="folded", out_dir=tmp_path / "out")
    problem = error.value.problems[0]
    assert (problem.file, problem.field) == (folder / "template.yaml", "printing")
    assert problem.message == "printing: no label 'print_folded' in the label catalogue"
    assert not (tmp_path / "out").exists()


def test_templates_show_tells_how_to_print(tmp_path):
    result = runner.invoke(app, ["templates", "show", "Trifold", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert f"  printing: {TRIFOLD}" in result.stdout.splitlines()


def test_templates_fit_80_columns_one_line_each(monkeypatch, studio_dir):
    monkeypatch.setenv("COLUMNS", "80")
    studio_template(studio_dir, "wide-and-wordy", "title: A studio layout with a long title\ndescription: "
                    + "A description that goes on and on. " * 6 + "\n")
    result = runner.invoke(app, ["--project", str(studio_dir), "templates"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 6 and lines[0].split() == ["name", "title", "pages", "papers", "description"]
    assert all(len(line) <= 80 for line in lines), [len(line) for line in lines]
    names = [line.split()[0] for line in lines[1:]]
    assert names == ["classic", "cue-card", "large-print", "trifold", "wide-and-wordy"]
    assert lines[5].startswith("wide-and-wordy (studio)  A studio l") and lines[5].endswith("…")
    assert lines[5].count("…") == 2  # the long title and the long description are cut, nothing else
    assert "2 pages" in lines[2] and "1-4 pages" in lines[1] and "1-16 pages" in lines[3]


def test_a_title_with_escapes_is_shown_not_obeyed(studio_dir):
    studio_template(studio_dir, "sneaky", 'title: "Red \\e[31mtitle"\ndescription: "Bell \\a"\n')
    result = runner.invoke(app, ["--project", str(studio_dir), "templates"])
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "Red \\x1b[31mtitle" in result.stdout and "Bell \\x07" in result.stdout


def test_the_gallery_shows_page_1_of_every_layout_side_by_side(tmp_path):
    result = runner.invoke(app, ["templates", "--gallery", "--out", str(tmp_path), "--json"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    path = tmp_path / "templates-gallery.png"
    assert record["outputs"] == [{"path": str(path), "kind": "png"}]
    assert record["details"]["templates"] == ["classic", "cue-card", "large-print", "trifold"]
    image = Image.open(path).convert("L")
    assert image.height == GAP + HEIGHT + LABEL + GAP
    # Along a line through the pages' top margins: four white pages on the grey ground, the trifold the widest.
    row = [image.getpixel((x, GAP + 4)) for x in range(image.width)]
    pages, start = [], None
    for x, shade in enumerate(row + [0]):
        if shade >= 250 and start is None:
            start = x
        elif shade < 250 and start is not None:
            if x - start > 100:
                pages.append((start, x))
            start = None
    widths = [end - begin for begin, end in pages]
    assert len(pages) == 4 and max(widths) == widths[3], widths
    assert abs(widths[3] - HEIGHT * 11 / 8.5) < 12 and abs(widths[0] - HEIGHT * 8.5 / 11) < 12
    for begin, end in pages:  # a label in dark type under each page
        label = image.crop((begin, GAP + HEIGHT + 8, end, GAP + HEIGHT + LABEL))
        assert label.getextrema()[0] < 60


def test_the_gallery_wants_no_subcommand_and_out_wants_the_gallery(tmp_path):
    result = runner.invoke(app, ["templates", "--gallery", "list"])
    assert result.exit_code == 2 and result.stderr.startswith("error: --gallery and --out go without 'list'")
    result = runner.invoke(app, ["templates", "--out", str(tmp_path)])
    assert result.exit_code == 2 and result.stderr.startswith("error: --out is where --gallery writes its picture")
