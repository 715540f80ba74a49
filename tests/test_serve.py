"""`handouts serve`'s pages and actions, driven in process (Starlette's TestClient): what each answers,
what it writes, and that it writes exactly what the command line would."""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
import re
import zipfile

import pytest
from pypdf import PdfReader
from starlette.testclient import TestClient
from typer.testing import CliRunner

from handouts.build import build_handout, prepare, render_pdf
from handouts.cli import app as cli
from handouts.content.check import check_project
from handouts.content.models import Personal
from handouts.layout.preview import page_pngs
from handouts.project import Project
from handouts.web import create_app

from conftest import pdf_text
from servedesk import export_roster, files_in, form_token, make_studio, pdfs_in

BASE = "http://127.0.0.1:8765"
DATE = "2026-12-01"


@pytest.fixture
def studio(tmp_path):
    return make_studio(tmp_path / "studio")


@pytest.fixture
def desk(studio):
    with TestClient(create_app(Project.discover(studio)), base_url=BASE) as client:
        yield client


def token(desk) -> str:
    return form_token(desk.get("/class").text)


def handout(desk, **values) -> dict:
    """The handout form as the page sends it: the knee folds in the trifold, for Zoë, with the token."""
    return {"csrf": token(desk), "view": "test", "content": "knee-folds.en", "template": "trifold", "paper": "a4",
            "client": "Zoë Łukasz", "note": "A folded towel under your head", "class_name": "", "date": DATE,
            **values}


def beside(page: str, field: str) -> list[str]:
    """The problems the page shows beside ``field``."""
    box = re.search(rf'<div class="problems" data-for="{field}"[^>]*>(.*?)</div>', page, re.S).group(1)
    return [html.unescape(line) for line in re.findall(r'<p class="problem">(.*?)</p>', box, re.S)]


def cli_error(*args) -> str:
    """The one line `handouts build ...` prints for an error, without its `error: `."""
    result = CliRunner().invoke(cli, ["build", *args])
    assert result.exit_code == 1, result.output
    return result.stderr.splitlines()[0].removeprefix("error: ")


# One handout

def test_the_page_shows_every_layout_from_the_real_output_and_page_1(desk):
    page = desk.get("/")
    assert page.status_code == 200 and "Saltmarsh &amp; Ridge Pilates" in page.text
    for name in ("classic", "cue-card", "large-print", "trifold"):
        assert f'value="{name}"' in page.text
    assert 'id="preview" src="data:image/png;base64,' in page.text
    assert "default-src 'self'" in page.headers["content-security-policy"]
    picture = desk.get("/layouts/trifold.png?content=knee-folds.en&paper=a4")
    assert picture.status_code == 200 and picture.content.startswith(b"\x89PNG")


def test_a_layout_that_cannot_hold_the_content_says_so_on_its_picture(desk):
    picker = desk.get("/layouts?content=long-folds.en&paper=a4&template=classic")
    assert picker.status_code == 200
    cards = dict(re.findall(r'value="([\w-]+)".*?(<img|Cannot hold this content)', picker.text, re.S))
    assert cards == {"classic": "<img", "large-print": "<img", "trifold": "Cannot hold this content",
                     "cue-card": "Cannot hold this content"}
    assert "template &#39;trifold&#39;: no room for" in picker.text
    assert desk.get("/layouts/trifold.png?content=long-folds.en&paper=a4").status_code == 422


def test_the_preview_is_page_1_of_the_pdf_handouts_build_renders(desk, studio):
    answer = desk.post("/preview", data={**handout(desk), "version": "7"})
    assert answer.status_code == 200, answer.text
    record = answer.json()
    assert record["version"] == "7" and record["pages"] == 2 and record["problems"] == {}
    assert record["printing"] == "print on both sides, flip on the short edge, then fold in thirds"
    job = prepare(Project.discover(studio), "knee-folds", template="trifold", paper="a4", lang="en")
    personal = Personal(client="Zoë Łukasz", note="A folded towel under your head", date=dt.date(2026, 12, 1))
    [expected] = page_pngs(render_pdf(job, personal).pdf, scale=1.0, pages=1, optimize=False)
    assert base64.b64decode(record["image"].split(",", 1)[1]) == expected
    assert files_in(studio / "output") == []  # a preview writes nothing


def test_download_gives_exactly_the_file_handouts_build_writes(desk, studio, tmp_path):
    answer = desk.post("/", data={**handout(desk), "action": "download"}, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/files/")
    pdf = desk.get(answer.headers["location"])
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["content-disposition"] == 'attachment; filename="knee-folds.en.trifold.a4.zoe-lukasz.pdf"'
    [written] = pdfs_in(studio / "output")
    assert written.name == "knee-folds.en.trifold.a4.zoe-lukasz.pdf" and written.read_bytes() == pdf.content
    alone = build_handout("knee-folds", template="trifold", paper="a4", lang="en", client="Zoë Łukasz",
                          note="A folded towel under your head", date=dt.date(2026, 12, 1), out_dir=tmp_path / "cli",
                          project=Project.discover(studio))
    assert alone.path.read_bytes() == pdf.content
    assert "Zoë Łukasz" in pdf_text(pdf.content)


def test_print_opens_the_same_file_in_the_browser(desk):
    answer = desk.post("/", data={**handout(desk), "action": "print"}, follow_redirects=False)
    assert answer.headers["location"].endswith("?view=print")
    shown = desk.get(answer.headers["location"])
    assert shown.headers["content-disposition"].startswith("inline;") and shown.content.startswith(b"%PDF")


def test_without_the_script_show_preview_answers_with_the_page(desk):
    answer = desk.post("/", data={**handout(desk), "action": "preview", "template": "classic"})
    assert answer.status_code == 200
    assert 'id="preview" src="data:image/png;base64,' in answer.text and 'value="Zoë Łukasz"' in answer.text


def test_a_note_too_long_for_the_box_shows_beside_the_note_in_the_command_lines_words(desk, studio):
    note = "Lie down with a folded towel under your head and let the floor take your weight. " * 6
    answer = desk.post("/preview", data={**handout(desk), "note": note.strip()})
    assert answer.status_code == 422
    problems = answer.json()["problems"]
    assert list(problems) == ["note"] and answer.json()["image"] is None
    assert problems["note"] == [cli_error("knee-folds", "--project", str(studio), "--template", "trifold",
                                          "--paper", "a4", "--client", "Zoë Łukasz", "--note", note.strip(),
                                          "--date", DATE, "--out", str(studio / "elsewhere"))]
    page = desk.post("/", data={**handout(desk), "note": note.strip(), "action": "download"})
    assert page.status_code == 422 and beside(page.text, "note") == problems["note"]
    assert files_in(studio / "output") == [] and files_in(studio / "elsewhere") == []


def test_content_a_layout_cannot_hold_is_told_beside_the_layout(desk, studio):
    answer = desk.post("/", data={**handout(desk, content="long-folds.en"), "action": "download"})
    assert answer.status_code == 422
    [*lines] = beside(answer.text, "template")
    assert lines and all("template 'trifold': no room for" in line for line in lines)
    assert lines[0].startswith(f"{studio / 'content' / 'long-folds.en.yaml'}:")
    assert files_in(studio / "output") == []


@pytest.mark.parametrize("values, field, words", [
    ({"template": "nope"}, "template", "unknown template 'nope' (hint: available: classic, cue-card, large-print, "
                                       "trifold;"),
    ({"client": "Maya 🌸"}, "client", "--client: the character '🌸' (U+1F338) is in no font this handout uses"),
    ({"date": "12/01/2026"}, "date", "--date: '12/01/2026' is not a date written year-month-day (hint: write the "
                                     "year, the month, then the day, e.g. 2026-12-01)"),
    ({"paper": "a5"}, "paper", "--paper: 'a5' is not a paper size this tool prints on (hint: use letter or a4)"),
    ({"content": "../studio.yaml"}, "content", "--content: no content '../studio.yaml' in this studio (hint: "
                                               "available: constructive-rest.en, constructive-rest.es,"),
])
def test_a_wrong_value_is_told_beside_its_field_and_writes_nothing(desk, studio, values, field, words):
    answer = desk.post("/preview", data=handout(desk, **values))
    assert answer.status_code == 422
    [line] = answer.json()["problems"][field]
    assert line.startswith(words)
    page = desk.post("/", data={**handout(desk, **values), "action": "download"})
    assert page.status_code == 422 and beside(page.text, field) == [line]
    assert files_in(studio / "output") == []


def test_nothing_typed_is_read_as_a_template(desk):
    answer = desk.post("/", data={**handout(desk, template="classic", client="{{ 7*7 }} <b>Bo</b>",
                                            note="{% raw %}{{ lipsum() }}"), "action": "download"},
                       follow_redirects=True)
    text = pdf_text(answer.content)
    assert "{{ 7*7 }} <b>Bo</b>" in text and "{% raw %}{{ lipsum() }}" in text and "49" not in text
    page = desk.post("/", data={**handout(desk, client="<script>alert(1)</script>"), "action": "preview"})
    assert "<script>alert(1)</script>" not in page.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text


# A class

def test_a_dropped_roster_shows_its_columns_clients_and_rows_left_out_before_anything_is_built(desk, studio):
    roster = export_roster(6, cancelled=(2,), languages={4: "Elvish"})
    page = desk.post("/class", data={"csrf": token(desk)}, files={"roster": ("tuesday.csv", roster, "text/csv")})
    assert page.status_code == 200, page.text
    text = html.unescape(page.text)
    assert "CSV, read as UTF-8, delimiter comma" in text
    for header, meaning in (("First Name", "first name"), ("Booking Status", "booking status"),
                            ("Notes", "teacher's note"), ("Phone", "(ignored)"), ("Client ID", "(ignored)")):
        assert f"<td>{header}</td><td>{meaning}</td>" in text
    assert "Clients to print: 5" in text and "<td>Zoë Łukasz</td>" in text and "<td>es</td>" in text
    assert "<td>4</td><td>Mei Chen</td><td>cancelled (status: Late Cancel)</td>" in text
    assert "<td>6</td><td>Siobhán Ó Briain</td><td>lang: 'Elvish' is not a language code or name" in text
    assert files_in(studio / "output") == []


def test_build_makes_the_class_as_handouts_batch_would_and_offers_pack_zip_and_clients(desk, studio):
    page = desk.post("/class", data={"csrf": token(desk)},
                     files={"roster": ("tuesday.csv", export_roster(8, languages={3: "fr"}), "text/csv")})
    upload = re.search(r'name="upload" value="([^"]+)"', page.text).group(1)
    done = desk.post("/class/build", data={"csrf": token(desk), "upload": upload, "content": "knee-folds.en",
                                           "template": "", "paper": "", "class_name": "Tuesday 6 pm Mat",
                                           "date": DATE})
    assert done.status_code == 200 and "Failed rows: 1" in done.text, done.text
    folder = studio / "output" / "tuesday-6-pm-mat-2026-12-01"
    failed = html.unescape(re.search(r'<table class="failed".*?</table>', done.text, re.S).group(0))
    assert "<td>5</td><td>José Luis Núñez</td><td>no content 'knee-folds' in language 'fr'" in failed
    pack = desk.get(re.search(r'id="pack" href="([^"]+)"', done.text).group(1))
    reader = PdfReader(io.BytesIO(pack.content))
    assert [item.title for item in reader.outline] == [
        "Zoë Łukasz", "Ana García Fernández", "Mei Chen", "Siobhán Ó Briain", "Björn Ångström", "Marie-Thérèse "
        "Lefèvre-Dubois", "Nguyễn Thị Hoa"]
    assert pack.content == (folder / "class-pack.pdf").read_bytes()
    archive = zipfile.ZipFile(io.BytesIO(desk.get(re.search(r'id="clients-zip" href="([^"]+)"', done.text)
                                                  .group(1)).content))
    names = sorted(archive.namelist())
    assert len(names) == 8 and "clients.csv" in names
    assert all(archive.read(name) == (folder / name).read_bytes() for name in names)
    assert "knee-folds.es.classic.a4.ana-garcia-fernandez.pdf" in names
    assert "5,José Luis Núñez,client3@example.org,,,,,failed" in archive.read("clients.csv").decode("utf-8-sig")
    assert not any("handouts-serve" in str(path) or path.suffix == ".csv" and path.parent == studio
                   for path in files_in(studio))  # the roster itself never lands in the studio folder


@pytest.mark.parametrize("name, data, words", [
    ("class.csv", b"Phone,Notes\n123,hello\n", "class.csv:1: the roster has no name column"),
    ("class.csv", "First Name,Booking Status\nAna,Cancelled\nBo,No Show\n".encode(),
     "class.csv: the roster has no clients to print: 2 left out"),
    ("class.xlsx", b"PK\x03\x04 not really a workbook", "class.xlsx: "),
])
def test_a_bad_roster_gets_its_error_beside_the_drop_zone_and_writes_nothing(desk, studio, name, data, words):
    page = desk.post("/class", data={"csrf": token(desk)}, files={"roster": (name, data, "text/csv")})
    assert page.status_code == 422
    lines = beside(page.text, "roster")
    assert lines and lines[0].startswith(words)
    assert "handouts-serve" not in page.text  # the temporary copy's path is never shown
    assert files_in(studio / "output") == []


def test_no_roster_and_a_roster_no_longer_held_are_told(desk, studio):
    page = desk.post("/class", data={"csrf": token(desk)})
    assert page.status_code == 422 and beside(page.text, "roster")[0].startswith("no roster was dropped")
    page = desk.post("/class/build", data={"csrf": token(desk), "upload": "nope", "content": "knee-folds.en"})
    assert page.status_code == 422 and "no longer held here" in beside(page.text, "roster")[0]
    assert files_in(studio / "output") == []


def test_a_roster_file_name_is_only_a_name(desk, studio):
    page = desk.post("/class", data={"csrf": token(desk)},
                     files={"roster": ("../../..\\evil/../.tuesday.csv", export_roster(2), "text/csv")})
    assert page.status_code == 200 and "<h2>tuesday.csv</h2>" in page.text


def test_a_class_shows_its_progress_while_it_builds(desk, monkeypatch):
    import threading

    import handouts.web.classes as classes

    page = desk.post("/class", data={"csrf": token(desk)},
                     files={"roster": ("tuesday.csv", export_roster(3), "text/csv")})
    upload = re.search(r'name="upload" value="([^"]+)"', page.text).group(1)
    monkeypatch.setattr(classes, "WAIT", 0.01)
    hold = threading.Event()
    desk.app.state.desk.renderer.submit(hold.wait, 30)  # the render thread is busy with something else
    try:
        answer = desk.post("/class/build", data={"csrf": token(desk), "upload": upload, "content": "knee-folds.en"},
                           follow_redirects=False)
        where = answer.headers["location"]
        building = desk.get(where)
        assert "Building the class" in building.text and "<progress" in building.text
        assert desk.get(where + "/progress").json() == {"done": 0, "total": 0, "finished": False}
    finally:
        hold.set()
    desk.app.state.desk.renderer.submit(lambda: None).result(60)
    assert desk.get(where + "/progress").json() == {"done": 3, "total": 3, "finished": True}
    assert 'id="pack"' in desk.get(where).text


# Check

def test_the_check_page_lists_each_problem_with_its_place_and_fix(desk, studio):
    page = desk.get("/check?content=long-folds")
    assert page.status_code == 200
    report = check_project(Project.discover(studio), ["long-folds"])
    text = html.unescape(page.text)
    assert report.problems
    for problem in report.problems:
        assert f'<span class="place">{problem.where()}</span>' in text
        assert problem.message in text and (problem.hint is None or f"fix: {problem.hint}" in text)
    errors = sum(p.severity == "error" for p in report.problems)
    assert f"1 file checked: {errors} errors, {len(report.problems) - errors} warning" in " ".join(text.split())


def test_the_check_page_refuses_content_it_does_not_have(desk):
    page = desk.get("/check?content=../../etc")
    assert page.status_code == 422 and "no content &#39;../../etc&#39; in this studio" in page.text


# Files by id, never by path

@pytest.mark.parametrize("address", ["/files/abcdefghijklmnopqrstuv", "/files/..%2F..%2Fstudio.yaml",
                                     "/files/output/knee-folds.en.trifold.a4.pdf", "/files/%2Fetc%2Fpasswd",
                                     "/files/../studio.yaml"])
def test_a_download_names_an_id_of_ours_never_a_path(desk, address):
    answer = desk.get(address)
    assert answer.status_code == 404 and "reading_grade_max" not in answer.text and "%PDF" not in answer.text
    assert "no file of that id was built here" in answer.text or "there is no page at this address" in answer.text


def test_a_file_changed_since_it_was_built_is_not_served(desk, studio):
    answer = desk.post("/", data={**handout(desk), "action": "download"}, follow_redirects=False)
    [written] = pdfs_in(studio / "output")
    written.write_bytes(b"%PDF-1.7 something else")
    assert desk.get(answer.headers["location"]).status_code == 404
