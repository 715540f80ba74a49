"""The front desk's two journeys in a real browser: the system Chromium, driven by Playwright, against
`handouts serve` on a loopback port. Screenshots of every step are kept (their folder is printed)."""

from __future__ import annotations

import base64
import io
import zipfile

import pytest
from pypdf import PdfReader

from handouts.build import prepare, render_pdf, today
from handouts.content.models import Personal
from handouts.layout.preview import page_pngs
from handouts.project import Project

from conftest import pdf_text
from servedesk import CHROMIUM, chromium, drop_file, export_roster, make_studio, preview_settled, serving

pytest.importorskip("playwright.sync_api", reason="Playwright's Python package is not installed (pip install -e '.[test]')")
if not CHROMIUM.exists():
    pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium, as .ci/run does)", allow_module_level=True)

NOTE = "A folded towel under your head"


@pytest.fixture(scope="module")
def studio(tmp_path_factory):
    return make_studio(tmp_path_factory.mktemp("browser") / "studio")


@pytest.fixture(scope="module")
def served(studio):
    with serving(Project.discover(studio)) as url:
        yield url


@pytest.fixture(scope="module")
def shots(tmp_path_factory, request):
    folder = tmp_path_factory.mktemp("serve-screenshots")
    yield folder
    with request.config.pluginmanager.getplugin("capturemanager").global_and_fixture_disabled():
        print(f"\nserve: the browser tests' screenshots are in {folder}")


@pytest.fixture
def page(tmp_path):
    with chromium(tmp_path / "profile") as context:
        yield context.new_page()


def test_one_handout_picked_typed_previewed_and_downloaded(page, served, studio, shots):
    page.goto(served)
    page.select_option("#content", "knee-folds.en")
    page.wait_for_selector("label.card:has(input[value=trifold]) img")  # the pictures follow the content
    preview_settled(page)
    page.screenshot(path=shots / "1-handout-page.png", full_page=True)
    page.click("label.card:has(input[value=trifold])")
    preview_settled(page)
    before = page.get_attribute("#preview", "src")
    page.type("#client", "Zoë Łukasz", delay=40)
    page.type("#note", NOTE, delay=15)
    preview_settled(page)
    shown = page.get_attribute("#preview", "src")
    assert shown != before and "fold in thirds" in page.inner_text("#facts")
    page.screenshot(path=shots / "2-typed.png", full_page=True)
    job = prepare(Project.discover(studio), "knee-folds", template="trifold", lang="en")
    personal = Personal(client="Zoë Łukasz", note=NOTE, date=today())
    [expected] = page_pngs(render_pdf(job, personal).pdf, scale=1.0, pages=1, optimize=False)
    assert base64.b64decode(shown.split(",", 1)[1]) == expected  # page 1 of the real PDF, for what was typed

    with page.expect_download() as download:
        page.click("button[value=download]")
    assert download.value.suggested_filename == "knee-folds.en.trifold.a4.zoe-lukasz.pdf"
    text = pdf_text(download.value.path().read_bytes())
    assert "Zoë Łukasz" in text and NOTE in text

    page.fill("#note", "Lie down with a folded towel under your head and let the floor take your weight. " * 6)
    preview_settled(page)
    told = page.inner_text(".problems[data-for=note]")
    assert told.startswith("--note: the note is too long for the personal box of template 'trifold'")
    assert page.get_attribute("#note", "aria-invalid") == "true"
    page.screenshot(path=shots / "3-note-too-long.png", full_page=True)


def test_a_class_dropped_built_and_its_pack_downloaded(page, served, shots):
    page.goto(served + "class")
    drop_file(page, "#drop", "tuesday.csv", export_roster(30, cancelled=(3, 17)))
    page.wait_for_selector("#roster-read")
    read = page.inner_text("#roster-read")
    assert "Clients to print: 30" in read and "Rows left out: 2" in read and "cancelled (status: Late Cancel)" in read
    page.screenshot(path=shots / "4-roster-read.png", full_page=True)
    page.select_option("#build #content", "knee-folds.en")
    page.fill("#build #class_name", "Tuesday 6 pm Mat")
    page.click("#build button.main")
    page.wait_for_selector("#pack")
    page.screenshot(path=shots / "5-class-built.png", full_page=True)
    with page.expect_download() as download:
        page.click("#pack")
    reader = PdfReader(io.BytesIO(download.value.path().read_bytes()))
    assert len(reader.outline) == 30 and reader.outline[0].title == "Zoë Łukasz"
    with page.expect_download() as download:
        page.click("#clients-zip")
    names = zipfile.ZipFile(download.value.path()).namelist()
    assert len(names) == 31 and "clients.csv" in names
