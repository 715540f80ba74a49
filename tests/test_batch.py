"""Batch builds: a handout per client and a class pack, stamped over shared pages."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pikepdf
import pypdfium2
import pytest
from PIL import ImageChops
from pypdf import PdfReader
from typer.testing import CliRunner

from handouts import build as build_module
from handouts.batch.run import PACK_NAME, build_batch, unique_name
from handouts.build import build_handout
from handouts.cli import app
from handouts.manifest import NAME as MANIFEST
from handouts.project import Project

from conftest import DATE, ROOT, pdf_text

ROSTERS = ROOT / "tests" / "data" / "rosters"
CLASS = "Tuesday 6 pm Mat"
runner = CliRunner()


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch):
    monkeypatch.setenv("COLUMNS", "160")


def batch(project, roster, out, **options):
    options.setdefault("date", DATE)
    return build_batch(roster, project=project, out_dir=out, **options)


@pytest.fixture(scope="session")
def built(tmp_path_factory, project):
    """The four-client class roster, built once with two worker processes."""
    out = tmp_path_factory.mktemp("class")
    return batch(project, ROSTERS / "class.csv", out, class_name=CLASS, jobs=2)


def names(report) -> list[str]:
    return [path.name for path in report.built + report.up_to_date]


def file(slug: str, lang: str = "en", template: str = "classic", paper: str = "letter") -> str:
    """A client's file name in the documented scheme."""
    return f"constructive-rest.{lang}.{template}.{paper}.{slug}.pdf"


def test_one_file_per_client_with_unique_names(built):
    assert built.ok and not built.up_to_date and built.pack_built
    assert names(built) == [file("ana-garcia"), file("ana-garcia-2", "es"), file("zoe-lukasz"), file("mei-chen")]
    assert sorted(p.name for p in built.out_dir.iterdir()) == sorted([*names(built), PACK_NAME, MANIFEST, "clients.csv"])


def test_each_name_is_in_its_own_pdf_and_no_one_elses(built):
    clients = {file("ana-garcia"): ("Ana García", "A folded towel under your head"),
               file("ana-garcia-2", "es"): ("Ana García", "Una toalla doblada bajo la cabeza"),
               file("zoe-lukasz"): ("Zoë Łukasz", None), file("mei-chen"): ("Mei Chen", "Rest ten minutes after class")}
    for suffix, (name, note) in clients.items():
        text = pdf_text(built.out_dir / suffix)
        assert name in text and CLASS in text
        if note:
            assert note in text
        for other, (other_name, other_note) in clients.items():
            if other_name != name:
                assert other_name not in text
            if other != suffix and other_note:
                assert other_note not in text
    spanish = pdf_text(built.out_dir / file("ana-garcia-2", "es"))
    assert "Descanso constructivo" in spanish and "1 de diciembre de 2026" in spanish


def test_pack_has_a_bookmark_per_client_on_its_first_page(built):
    reader = PdfReader(built.pack)
    assert len(reader.pages) == 8  # two pages each: every handout already starts on a front side
    marks = [(item.title, reader.get_destination_page_number(item)) for item in reader.outline]
    # Namesakes are told apart the same way in bookmarks and file names: Ana García (2), ana-garcia-2.
    assert marks == [("Ana García", 0), ("Ana García (2)", 2), ("Zoë Łukasz", 4), ("Mei Chen", 6)]
    for (name, page), note in zip(marks, ["A folded towel", "Una toalla doblada", None, "Rest ten minutes"]):
        text = " ".join(reader.pages[page].extract_text().split())
        assert name.removesuffix(" (2)") in text and (note is None or note in text)
    assert reader.metadata.title == f"Constructive Rest – {CLASS} – 1 December 2026"
    assert reader.trailer["/Root"]["/PageMode"] == "/UseOutlines"


def test_pack_draws_each_shared_page_once_and_shares_one_stamp_font_subset(built):
    with pikepdf.open(built.pack) as pack:
        forms = {page.Resources.XObject["/HandoutPage"].objgen for page in pack.pages}
        # Two pages for each language and box height: in English a box with a note and one without
        # (the page flows around the box), in Spanish one; eight pages drawn from six.
        assert len(forms) == 6
        subsets = {font.objgen for page in pack.pages for font in page.Resources.get("/Font", {}).values()}
        # Bold and regular for each shared layer, which its stamps use too (Zoë Łukasz's letters are in
        # the stamps' font primer): six, however many clients.
        assert len(subsets) == 6
    one = (built.out_dir / file("mei-chen")).stat().st_size
    # Each of the three layers' pages once, and a small stamp per client (four clients).
    assert built.pack.stat().st_size < 4 * one


def test_a_class_with_notes_of_every_length_shares_a_few_box_heights(tmp_path, project):
    """A growing box grows by whole lines, so twenty clients with five notes share a few layers of pages,
    and each layer's clients share its font subsets: the pack stays a few handouts' size."""
    notes = ["Rest ten minutes", "A folded towel under your head", "Go gently on the left hip; stop if it aches",
             "Breathe out slowly and let the ribs settle; feet hip-width apart on the mat",
             "Rest after class; a pillow under the knees if the low back complains, and stand up slowly"]
    names = ["Ana Garcia", "Mei Chen", "Tom Hardy-Smith", "Maria Jose Fernandez de Cordoba"]
    rows = [f"{name} {n},{notes[n % len(notes)]}" for n, name in enumerate(names * 5)]
    roster = tmp_path / "notes.csv"
    roster.write_text("Client Name,Notes\n" + "\n".join(rows) + "\n", encoding="utf-8")
    report = batch(project, roster, tmp_path / "out", class_name=CLASS, jobs=1)
    assert report.ok and len(report.built) == 20
    with pikepdf.open(report.pack) as pack:
        forms = {page.Resources.XObject["/HandoutPage"].objgen for page in pack.pages}
        subsets = {font.objgen for page in pack.pages for font in page.Resources.get("/Font", {}).values()}
    # Two pages for each height the box takes (a note of one to three lines), a regular and a bold subset each.
    layers = len(forms) // 2
    assert layers <= 4 and len(subsets) == 2 * layers, (len(forms), len(subsets))
    single = build_handout(project=project, out_dir=tmp_path / "one", client="Mei Chen 1", note=notes[1],
                           class_name=CLASS, date=DATE).path
    largest = max(path.stat().st_size for path in report.built)
    # A client's file: the single build's, with the stamp's font primer (some 5 KiB a face).
    assert largest < 1.25 * single.stat().st_size
    assert report.pack.stat().st_size < (layers + 1) * largest


def test_stamped_page_looks_like_a_single_build(built, tmp_path, project):
    single = build_handout(project=project, out_dir=tmp_path, client="Mei Chen",
                           note="Rest ten minutes after class", date=DATE).path
    plain = batch(project, ROSTERS / "class.csv", tmp_path / "plain", jobs=1)
    stamped = plain.out_dir / file("mei-chen")
    for number in range(2):
        pictures = [pypdfium2.PdfDocument(path)[number].render(scale=1.5).to_pil().convert("RGB")
                    for path in (single, stamped)]
        assert ImageChops.difference(*pictures).getbbox() is None, f"page {number + 1} differs"
    assert PdfReader(stamped).metadata.title == "Constructive Rest – Mei Chen"


def test_pack_pages_look_like_the_clients_own_files(built):
    pack = pypdfium2.PdfDocument(built.pack)
    for first, name in [(0, file("ana-garcia")), (2, file("ana-garcia-2", "es")), (6, file("mei-chen"))]:
        own = pypdfium2.PdfDocument(built.out_dir / name)
        for number in range(2):
            pictures = [doc[page].render(scale=1).to_pil().convert("RGB")
                        for doc, page in ((pack, first + number), (own, number))]
            assert ImageChops.difference(*pictures).getbbox() is None, (name, number)


def test_rebuilds_are_byte_identical_whatever_the_jobs(built, tmp_path, project):
    again = batch(project, ROSTERS / "class.csv", tmp_path, class_name=CLASS, jobs=1)
    for path in [*again.built, again.pack]:
        assert path.read_bytes() == (built.out_dir / path.name).read_bytes(), path.name


def test_a_file_is_the_same_built_with_the_class_or_alone(tmp_path, project):
    # Mei's box fits the primed sheet shared with the others; Σοφία's needs Greek (a sheet of her own).
    together = tmp_path / "class.csv"
    together.write_text("name,note\nAna García,A towel\nΣοφία Παπαδοπούλου,Rest ten minutes\nMei Chen,Rest\n",
                        encoding="utf-8")
    full = batch(project, together, tmp_path / "class", jobs=1)
    assert full.ok and len(full.built) == 3
    for row in ("Σοφία Παπαδοπούλου,Rest ten minutes", "Mei Chen,Rest"):
        alone = tmp_path / "alone.csv"
        alone.write_text(f"name,note\n{row}\n", encoding="utf-8")
        [path] = batch(project, alone, tmp_path / "alone", jobs=1, force=True).built
        assert path.read_bytes() == (full.out_dir / path.name).read_bytes(), path.name
        assert row.split(",")[0] in pdf_text(path)
    # In the pack, the box on a sheet of its own looks as it does in Σοφία's own file.
    pack = pypdfium2.PdfDocument(full.pack)
    own = pypdfium2.PdfDocument(full.out_dir / file("sophia-papadopoulou"))
    for number in range(2):
        pictures = [doc[page].render(scale=1).to_pil().convert("RGB") for doc, page in ((pack, 2 + number), (own, number))]
        assert ImageChops.difference(*pictures).getbbox() is None, number
    assert [item.title for item in PdfReader(full.pack).outline] == ["Ana García", "Σοφία Παπαδοπούλου", "Mei Chen"]


def test_shared_pages_come_from_the_cache_the_next_time(built, tmp_path, project, monkeypatch):
    def no_render(*args, **kwargs):
        raise AssertionError("the shared pages were rendered again")

    monkeypatch.setattr(build_module, "render_pdf", no_render)
    again = batch(project, ROSTERS / "class.csv", tmp_path, class_name=CLASS, jobs=1)
    assert again.ok and len(again.built) == 4
    for path in [*again.built, again.pack]:
        assert path.read_bytes() == (built.out_dir / path.name).read_bytes(), path.name


def test_incremental_skip_change_and_force(tmp_path, project):
    roster = tmp_path / "roster.csv"
    roster.write_text((ROSTERS / "class.csv").read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "out"
    first = batch(project, roster, out, jobs=1)
    stamps = {path.name: path.stat().st_mtime_ns for path in out.iterdir()}
    second = batch(project, roster, out, jobs=1)
    assert not second.built and names(second) == names(first) and not second.pack_built
    # Only the records are written again (clients.csv now says "up to date"), no PDF.
    records = (MANIFEST, "clients.csv")
    assert {path.name: path.stat().st_mtime_ns for path in out.iterdir() if path.name not in records} == {
        name: time for name, time in stamps.items() if name not in records}
    roster.write_text(roster.read_text(encoding="utf-8").replace("Rest ten minutes", "Rest five minutes"),
                      encoding="utf-8")
    third = batch(project, roster, out, jobs=1)
    assert [p.name for p in third.built] == [file("mei-chen")] and third.pack_built
    assert "Rest five minutes" in pdf_text(out / PACK_NAME)
    (out / file("zoe-lukasz")).unlink()
    fourth = batch(project, roster, out, jobs=1)
    assert [p.name for p in fourth.built] == [file("zoe-lukasz")] and not fourth.pack_built
    other_day = batch(project, roster, out, jobs=1, date=dt.date(2026, 12, 8))
    assert len(other_day.built) == 4 and other_day.pack_built
    forced = batch(project, roster, out, jobs=1, date=dt.date(2026, 12, 8), force=True)
    assert len(forced.built) == 4 and forced.pack_built and not forced.up_to_date


def test_hostile_names_stay_in_the_output_folder(tmp_path, project):
    roster = tmp_path / "hostile.csv"
    long_name = " ".join(["Maximiliana"] * 13)[:150]
    roster.write_text((ROSTERS / "hostile.csv").read_text(encoding="utf-8") + f"{long_name},\n", encoding="utf-8")
    out = tmp_path / "out"
    report = batch(project, roster, out, jobs=1)
    # A 150-character name builds (classic's box grows to hold it); its file name keeps its first five words.
    assert names(report) == [file("etc-passwd"), file("a-b-c"), file("con-client"), file("b-bold-b-co"), file("client"),
                             file("-".join(["maximiliana"] * 5))]
    assert all(path.parent == out for path in report.built)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hostile.csv", "out"]
    markup = pdf_text(out / file("b-bold-b-co"))
    assert "<b>Bold</b> & Co" in markup and "Use <i>no</i> markup & {{ braces }}" in markup
    assert long_name in " ".join(pdf_text(out / file("-".join(["maximiliana"] * 5))).split())
    # No font draws the emoji: that row fails, with its number, saying why; the others are built.
    [emoji] = report.failed
    assert (emoji.row, emoji.problem.line, emoji.problem.field) == (6, 6, "name")
    assert "U+1F9D8" in emoji.problem.message


def test_unique_names_are_stable_in_roster_order():
    taken: set[str] = set()
    assert [unique_name(n, taken)[0] for n in ["a.pdf", "a.pdf", "a-2.pdf", "a.pdf"]] == [
        "a.pdf", "a-2.pdf", "a-2-2.pdf", "a-3.pdf"]


def short_content(studio: Path) -> None:
    """A one-page Constructive Rest in English beside the two-page Spanish one."""
    import yaml

    data = yaml.safe_load((ROOT / "content" / "constructive-rest.en.yaml").read_text(encoding="utf-8"))
    data["sections"] = [{"heading": "How to do it", "steps": ["Lie on your back, knees bent.", "Rest ten minutes."]}]
    data["safety"] = ["Stop if anything hurts.", "Roll onto your side to get up."]
    data["references"] = []
    for key in ("sidebar", "illustration", "key_points"):
        data.pop(key, None)
    (studio / "content" / "constructive-rest.en.yaml").write_text(yaml.safe_dump(data, allow_unicode=True),
                                                                  encoding="utf-8")


def test_blank_pages_keep_each_handout_on_a_front_side(studio_dir, tmp_path):
    short_content(studio_dir)
    roster = tmp_path / "roster.csv"
    roster.write_text("name,lang\nAna,en\nBea,es\nCai,en\nDan,en\n", encoding="utf-8")
    report = batch(Project(root=studio_dir), roster, tmp_path / "out", jobs=1)
    assert report.ok, report.failed
    reader = PdfReader(report.pack)
    starts = [(item.title, reader.get_destination_page_number(item)) for item in reader.outline]
    # Ana 1 page + blank, Bea 2 pages, Cai 1 page + blank, Dan 1 page (no blank at the end).
    assert starts == [("Ana", 0), ("Bea", 2), ("Cai", 4), ("Dan", 6)]
    assert len(reader.pages) == 7
    assert reader.pages[1].extract_text().strip() == "" and reader.pages[5].extract_text().strip() == ""


def test_large_print_picks_the_large_print_template(studio_dir, tmp_path):
    shutil.copytree(ROOT / "templates" / "classic", studio_dir / "templates" / "large-print")
    roster = tmp_path / "roster.csv"
    roster.write_text("name,large_print,template\nAna,yes,\nBea,,classic\nCai,x,classic\n", encoding="utf-8")
    report = batch(Project(root=studio_dir), roster, tmp_path / "out", jobs=1)
    assert names(report) == [file("ana", template="large-print"), file("bea"), file("cai", template="large-print")]


def test_cli_failing_rows_among_good_ones(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("Client Name,Language,Template,Notes,Status\n"
                      "Ana García,,,A folded towel,Booked\n"
                      "Jo Park,fr,,,\n"
                      "Max Weber,,no-such-layout,,\n"
                      f"Kim Lee,,cue-card,{'Rest and breathe. ' * 20},\n"
                      "Bob Smith,,,,Late cancel\n"
                      "Mei Chen,,,,\n"
                      "Lu Wang,fr,,,\n", encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["--project", str(ROOT), "batch", str(roster), "--class-name", CLASS,
                                 "--date", "2026-12-01", "--out", str(out), "--jobs", "2"])
    assert result.exit_code == 1, result.output
    assert sorted(p.name for p in out.glob("*.pdf")) == [PACK_NAME, file("ana-garcia"), file("mei-chen")]
    cells = [[cell.strip() for cell in line.split("│")[1:-1]] for line in result.stdout.splitlines()
             if line.startswith("│")]
    assert ["built", "2", ""] in cells, result.stdout
    assert ["failed", "4", "Jo Park (row 3), Max Weber (row 4), Kim Lee (row 5), Lu Wang (row 8)"] in cells
    assert ["left out", "1", "Bob Smith (row 6)"] in cells
    # One line per reason, naming each client: both rows asking for French share one.
    failed = [row for row in cells if row[0].endswith(")")]
    expected = [("Jo Park (row 3), Lu Wang (row 8)", "no content 'constructive-rest' in language 'fr'"),
                ("Max Weber (row 4)", "unknown template 'no-such-layout'"),
                ("Kim Lee (row 5)", "note: the note is too long for the personal box of template 'cue-card': 359 characters")]
    assert [who for who, _ in failed] == [who for who, _ in expected], result.stdout
    assert all(got[1].startswith(want[1]) for got, want in zip(failed, expected)), result.stdout
    assert "Traceback" not in result.output
    assert f"class pack: {out / PACK_NAME}" in result.stdout
    assert f"who gets which file: {out / 'clients.csv'}" in result.stdout


def test_cli_xlsx_json_and_up_to_date(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["First Name", "Last Name", "Attendance"])
    book.active.append(["Ana", "García", "Checked in"])
    book.active.append(["Bob", "Smith", "Standby"])
    roster = tmp_path / "class.xlsx"
    book.save(roster)
    args = ["--project", str(ROOT), "--json", "batch", str(roster), "--date", "2026-12-01", "--out", str(tmp_path)]
    first, second = runner.invoke(app, args), runner.invoke(app, args)
    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    import json

    record = json.loads(second.stdout)
    assert [(Path(o["path"]).name, o["status"]) for o in record["outputs"]] == [
        (file("ana-garcia"), "up to date"), (PACK_NAME, "up to date"), ("clients.csv", "built")]
    assert record["details"]["left_out"] == [{"row": 3, "name": "Bob Smith", "status": "Standby", "email": None}]
    assert record["details"]["roster"] == {"kind": "Excel workbook (.xlsx)", "encoding": None}


def test_cli_roster_problems_are_one_line(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("Phone\n123\n", encoding="utf-8")
    result = runner.invoke(app, ["batch", str(roster), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {roster}:1: the roster has no name column")
    assert not (tmp_path / "out").exists()
    assert runner.invoke(app, ["batch", str(roster), "--jobs", "0"]).exit_code == 2
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    unwritable = runner.invoke(app, ["batch", str(ROSTERS / "class.csv"), "--out", str(tmp_path / "a-file" / "out")])
    assert unwritable.exit_code == 1 and unwritable.stderr.startswith(f"error: cannot write to {tmp_path / 'a-file' / 'out'}")


def test_the_batch_api_is_importable_from_the_package():
    """``from handouts.batch import build_batch``, as the README and the build API's users write it."""
    import handouts.batch
    from handouts.batch import run

    assert handouts.batch.build_batch is run.build_batch and handouts.batch.unique_name is run.unique_name
    with pytest.raises(AttributeError):
        handouts.batch.no_such_name
