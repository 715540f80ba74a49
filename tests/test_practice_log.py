"""The practice log: a week of tick boxes on a page of its own, in the handout's language."""

from __future__ import annotations

import io
import re

import pypdfium2
import pytest
import yaml
from pypdf import PdfReader
from typer.testing import CliRunner

from handouts.build import build_handout
from handouts.cli import app
from handouts.project import Project

from conftest import ROOT

runner = CliRunner()


def labels(lang: str) -> dict:
    return yaml.safe_load((ROOT / "templates" / "_base" / "labels" / f"{lang}.yaml").read_text(encoding="utf-8"))


def page_texts(path) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(path).pages]


@pytest.fixture(scope="module", params=["en", "es"])
def logged(request, tmp_path_factory, project):
    """(lang, handout without the log, handout with it)."""
    out = tmp_path_factory.mktemp(f"log-{request.param}")
    plain = build_handout(project=project, lang=request.param, out_dir=out / "plain")
    with_log = build_handout(project=project, lang=request.param, out_dir=out / "log", practice_log=True)
    return request.param, plain, with_log


def test_the_log_adds_one_page_with_the_week(logged):
    lang, plain, with_log = logged
    assert with_log.pages == plain.pages + 1 == len(PdfReader(with_log.path).pages)
    words = labels(lang)
    *before, last = page_texts(with_log.path)
    for key in ("practice_log", "practice_log_intro", "week_of", "day", "done", "minutes", "how_it_felt"):
        assert words[key] in last, key
    assert all(day in last for day in words["weekdays"])
    assert not any(day in " ".join(before) for day in words["weekdays"][:2])
    assert f"{words['page']} {with_log.pages} {words['page_of']} {with_log.pages}" in last
    outline = [item.title for item in PdfReader(with_log.path).outline if not isinstance(item, list)]
    assert outline[-1] == words["practice_log"]


def test_the_log_is_made_for_a_pen(logged):
    """Seven dark tick boxes, and every word above the footer at 12 pt or more."""
    _, _, with_log = logged
    pdf = pypdfium2.PdfDocument(str(with_log.path))
    page = pdf[len(pdf) - 1]
    boxes = []
    for obj in page.get_objects(filter=[pypdfium2.raw.FPDF_PAGEOBJ_PATH], max_depth=3):
        left, bottom, right, top = obj.get_bounds()
        if 18 <= right - left <= 24 and 18 <= top - bottom <= 24:
            boxes.append(obj)
    assert len(boxes) == 7
    text = page.get_textpage()
    sizes = [
        pypdfium2.raw.FPDFText_GetFontSize(text.raw, i)
        for i in range(text.count_chars())
        if text.get_charbox(i)[1] > 80 and not text.get_text_range(i, 1).isspace()
    ]
    assert sizes and min(sizes) >= 12


def test_the_studio_can_ask_for_it_and_a_build_can_decline(studio_dir, tmp_path):
    studio = studio_dir / "studio.yaml"
    studio.write_text(studio.read_text(encoding="utf-8").replace("practice_log: false", "practice_log: true"),
                      encoding="utf-8")
    project = Project(root=studio_dir)
    assert build_handout(project=project, out_dir=tmp_path / "a").pages == 3
    assert build_handout(project=project, out_dir=tmp_path / "b", practice_log=False).pages == 2


def test_a_fixed_layout_keeps_its_pages_and_warns(studio_dir, tmp_path):
    """A layout with a fixed page count (a brochure, a card) leaves the log out."""
    folder = studio_dir / "templates" / "fixed"
    folder.mkdir(parents=True)
    classic = yaml.safe_load((ROOT / "templates" / "classic" / "template.yaml").read_text(encoding="utf-8"))
    fixed = {"title": "Fixed", "description": "Two pages, always.", "fixed_pages": 2, "fit": classic["fit"]}
    (folder / "template.yaml").write_text(yaml.safe_dump(fixed), encoding="utf-8")
    (folder / "handout.rml.j2").write_text('{% extends "!builtin/classic/handout.rml.j2" %}\n', encoding="utf-8")
    result = runner.invoke(app, ["--project", str(studio_dir), "build", "--template", "fixed", "--practice-log",
                                 "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("warning: practice_log: template 'fixed' prints on exactly 2 page(s)")
    pdf = tmp_path / "constructive-rest.en.fixed.letter.pdf"
    assert len(PdfReader(pdf).pages) == 2
    assert "Monday" not in " ".join(page_texts(pdf))


def test_the_cli_flag(tmp_path):
    result = runner.invoke(app, ["--project", str(ROOT), "build", "--lang", "es", "--practice-log",
                                 "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    reader = PdfReader(io.BytesIO((tmp_path / "constructive-rest.es.classic.letter.log.pdf").read_bytes()))
    assert len(reader.pages) == 3
    assert "Miércoles" in reader.pages[2].extract_text()


def test_a_layout_without_a_log_page_says_so(studio_dir):
    folder = studio_dir / "templates" / "nolog"
    folder.mkdir(parents=True)
    (folder / "template.yaml").write_text((ROOT / "templates" / "classic" / "template.yaml").read_text(encoding="utf-8"),
                                          encoding="utf-8")
    source = (ROOT / "templates" / "classic" / "handout.rml.j2").read_text(encoding="utf-8")
    without, found = re.subn(r"\{\{ m\.log_page_template\([^)]*\) \}\}", "", source)
    assert found == 1
    (folder / "handout.rml.j2").write_text(without, encoding="utf-8")
    result = runner.invoke(app, ["--project", str(studio_dir), "build", "--template", "nolog", "--practice-log",
                                 "--out", str(studio_dir / "out")])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {folder / 'handout.rml.j2'}: template 'nolog' has no page for the practice log")
    assert not (studio_dir / "out").exists()
