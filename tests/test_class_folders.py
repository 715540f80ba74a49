"""A studio's week: names that never collide, a folder per class, clients.csv, nothing replaced unsaid."""

from __future__ import annotations

import csv
import json
import os
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from handouts.batch.run import PACK_NAME, build_batch, unique_name
from handouts.build import build_handout
from handouts.cli import app
from handouts.errors import ContentError, OutputError
from handouts.manifest import NAME as MANIFEST
from handouts.output import class_folder, output_name, write_atomic
from handouts.project import Project

from conftest import DATE, ROOT, pdf_text

runner = CliRunner()
MONDAY = "First Name,Last Name,Email,Language,Notes\n" \
         "Ana,García,ana@example.org,ES,Una toalla bajo la cabeza\n" \
         "Mei,Chen,mei@example.org,,Rest ten minutes after class\n" \
         "Siobhán,O'Neill,siobhan@example.org,English,\n"
THURSDAY = "Client Name,Email,Booking Status\n" \
           "Björn Sørensen,bjorn@example.org,Booked\n" \
           "Ana García,ana.g@example.org,Booked\n" \
           "Kwame Okafor,,Cancelled\n"


@pytest.fixture
def studio(tmp_path) -> Project:
    """A studio folder of its own (so output/ is its own), with the bundled content."""
    (tmp_path / "studio.yaml").write_text((ROOT / "studio.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    shutil.copytree(ROOT / "content", tmp_path / "content")
    return Project(root=tmp_path)


def clients_csv(folder: Path) -> list[dict]:
    with (folder / "clients.csv").open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def pdfs(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.glob("*.pdf"))


def test_two_classes_without_out_keep_their_own_folders_and_a_third_run_drops_a_client(studio, tmp_path):
    monday, thursday = tmp_path / "monday.csv", tmp_path / "thursday.csv"
    monday.write_text(MONDAY, encoding="utf-8")
    thursday.write_text(THURSDAY, encoding="utf-8")
    first = build_batch(monday, project=studio, class_name="Monday 6 pm Mat", date=DATE, jobs=1)
    second = build_batch(thursday, project=studio, date=DATE, jobs=1)
    assert first.out_dir == studio.root / "output" / "monday-6-pm-mat-2026-12-01"
    assert second.out_dir == studio.root / "output" / "thursday"
    assert pdfs(first.out_dir) == sorted([PACK_NAME, "constructive-rest.es.classic.letter.ana-garcia.pdf",
                                          "constructive-rest.en.classic.letter.mei-chen.pdf",
                                          "constructive-rest.en.classic.letter.siobhan-o-neill.pdf"])
    assert pdfs(second.out_dir) == sorted([PACK_NAME, "constructive-rest.en.classic.letter.bjorn-sorensen.pdf",
                                           "constructive-rest.en.classic.letter.ana-garcia.pdf"])
    # Mei leaves the Monday class: her file goes, the pack and clients.csv hold exactly who is left.
    monday.write_text(MONDAY.replace("Mei,Chen,mei@example.org,,Rest ten minutes after class\n", ""), encoding="utf-8")
    third = build_batch(monday, project=studio, class_name="Monday 6 pm Mat", date=DATE, jobs=1)
    assert third.out_dir == first.out_dir and not third.built and len(third.up_to_date) == 2 and third.pack_built
    assert [path.name for path in third.removed] == ["constructive-rest.en.classic.letter.mei-chen.pdf"]
    assert pdfs(third.out_dir) == sorted([PACK_NAME, "constructive-rest.es.classic.letter.ana-garcia.pdf",
                                          "constructive-rest.en.classic.letter.siobhan-o-neill.pdf"])
    assert [item.title for item in PdfReader(third.pack).outline] == ["Ana García", "Siobhán O'Neill"]
    assert "Mei Chen" not in pdf_text(third.pack)
    assert [(line["name"], line["status"]) for line in clients_csv(third.out_dir)] == [
        ("Ana García", "up to date"), ("Siobhán O'Neill", "up to date")]
    recorded = json.loads((third.out_dir / MANIFEST).read_text(encoding="utf-8"))
    assert sorted(recorded["files"]) == [name for name in pdfs(third.out_dir) if name != PACK_NAME]
    # The Thursday class was never touched.
    assert pdfs(second.out_dir) == sorted([PACK_NAME, "constructive-rest.en.classic.letter.bjorn-sorensen.pdf",
                                           "constructive-rest.en.classic.letter.ana-garcia.pdf"])
    assert [line["status"] for line in clients_csv(second.out_dir)] == ["built", "built", "left out"]


def test_clients_csv_tells_the_front_desk_who_gets_which_file(studio, tmp_path):
    roster = tmp_path / "class.csv"
    roster.write_text("Client Name,Email,Language,Status\nAna García,ana@example.org,es,Booked\n"
                      "Jo Park,jo@example.org,fr,\nKim Lee,kim@example.org,,No Show\n"
                      "=HYPERLINK(\"x\"),evil@example.org,,\n", encoding="utf-8")
    report = build_batch(roster, project=studio, out_dir=tmp_path / "out", date=DATE, jobs=1)
    lines = clients_csv(report.out_dir)
    assert (report.out_dir / "clients.csv").read_bytes().startswith(b"\xef\xbb\xbfrow,name,email,language")
    assert lines[0] == {"row": "2", "name": "Ana García", "email": "ana@example.org", "language": "es",
                        "template": "classic", "file": "constructive-rest.es.classic.letter.ana-garcia.pdf",
                        "pages": "2", "status": "built", "reason": ""}
    assert (lines[1]["row"], lines[1]["name"], lines[1]["email"], lines[1]["status"]) == (
        "3", "Jo Park", "jo@example.org", "failed")
    assert lines[1]["reason"].startswith("no content 'constructive-rest' in language 'fr'")
    assert (lines[2]["name"], lines[2]["status"], lines[2]["reason"]) == ("Kim Lee", "left out", "No Show")
    assert lines[3]["name"] == "'=HYPERLINK(\"x\")"  # a spreadsheet shows it as text, never runs it


def test_build_in_another_language_leaves_two_files(studio, tmp_path):
    english = build_handout(project=studio, out_dir=tmp_path)
    spanish = build_handout(project=studio, out_dir=tmp_path, lang="es")
    a4 = build_handout(project=studio, out_dir=tmp_path, paper="a4")
    assert [english.path.name, spanish.path.name, a4.path.name] == [
        "constructive-rest.en.classic.letter.pdf", "constructive-rest.es.classic.letter.pdf",
        "constructive-rest.en.classic.a4.pdf"]
    assert "Descanso constructivo" in pdf_text(spanish.path) and "Descanso constructivo" not in pdf_text(english.path)
    assert not english.warnings and not spanish.warnings


def test_a_build_that_replaces_a_file_made_from_other_inputs_says_so(studio, tmp_path):
    first = build_handout(project=studio, out_dir=tmp_path, client="Ana García", note="A towel", date=DATE)
    again = build_handout(project=studio, out_dir=tmp_path, client="Ana García", note="A towel", date=DATE)
    assert not again.warnings
    other = build_handout(project=studio, out_dir=tmp_path, client="Ana García", note="A blanket", date=DATE)
    [warning] = other.warnings
    assert warning.severity == "warning"
    assert warning.message == f"replaced {first.path}, which was made with another note"
    result = runner.invoke(app, ["--project", str(studio.root), "build", "--client", "Ana García", "--note", "A towel",
                                 "--date", "2026-12-08", "--out", str(tmp_path)])
    assert result.exit_code == 0
    assert f"warning: replaced {first.path}, which was made with another note and date (hint: pass --out DIR" \
        in result.stderr
    stranger = tmp_path / "constructive-rest.en.classic.letter.pdf"
    stranger.write_bytes(b"%PDF-1.4 someone else's")
    [unknown] = build_handout(project=studio, out_dir=tmp_path).warnings
    assert unknown.message == f"replaced {stranger}, which this tool has no record of making"


def test_the_naming_scheme_reads_back_into_its_parts():
    name = output_name("neck-rest", lang="pt-BR", template="cue-card", paper="a4", practice_log=True,
                       client="Zoë Łukasz", number=2)
    assert name == "neck-rest.pt-br.cue-card.a4.log.zoe-lukasz-2.pdf"
    assert name.removesuffix(".pdf").split(".") == ["neck-rest", "pt-br", "cue-card", "a4", "log", "zoe-lukasz-2"]
    assert class_folder("Tuesday 6 pm Mat", DATE, Path("x.csv")) == "tuesday-6-pm-mat-2026-12-01"
    assert class_folder(None, DATE, Path("/exports/Mat Class (Tue).csv")) == "mat-class-tue"


class CountingSet(set):
    """A set that counts how often it is asked whether it holds a name."""

    asked = 0

    def __contains__(self, item) -> bool:
        CountingSet.asked += 1
        return super().__contains__(item)


def test_namesakes_are_numbered_in_roster_order_without_trying_every_number():
    taken = CountingSet()
    numbers = [unique_name("ana-garcia", taken)[1] for _ in range(20_000)]
    assert numbers == list(range(1, 20_001))
    assert CountingSet.asked < 20_000 * 40  # n log n; trying 2, 3, 4... would ask 200 million times
    assert unique_name("ana-garcia-2", taken) == ("ana-garcia-2-2", 2)


def test_batch_takes_the_options_build_takes_and_a_rows_own_wins(studio, tmp_path):
    roster = tmp_path / "class.csv"
    roster.write_text("Name,Language,Template\nAna García,,\nBea Ruiz,en,\nCai Wu,,trifold\n", encoding="utf-8")
    report = build_batch(roster, project=studio, out_dir=tmp_path / "out", date=DATE, jobs=1, lang="es",
                         paper="a4", template="classic", practice_log=True)
    assert report.ok, report.failed
    assert [path.name for path in report.built] == [
        "constructive-rest.es.classic.a4.log.ana-garcia.pdf", "constructive-rest.en.classic.a4.log.bea-ruiz.pdf",
        "constructive-rest.es.trifold.a4.cai-wu.pdf"]  # a fixed layout leaves the log out
    assert len(PdfReader(report.built[0]).pages) == 3
    result = runner.invoke(app, ["--project", str(studio.root), "batch", str(roster), "constructive-rest",
                                 "--lang", "Spanish", "--paper", "a4", "--no-practice-log", "--date", "2026-12-01",
                                 "--out", str(tmp_path / "cli")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "cli" / "constructive-rest.es.classic.a4.ana-garcia.pdf").is_file()
    both = runner.invoke(app, ["batch", str(roster), "constructive-rest", "--content", "constructive-rest"])
    assert both.exit_code == 2
    bad = runner.invoke(app, ["--project", str(studio.root), "batch", str(roster), "--lang", "Elvish"])
    assert bad.exit_code == 2 and bad.stderr.startswith("error: --lang: 'Elvish' is not a language code or name")


def test_a_roster_with_no_one_to_print_is_an_error_and_writes_nothing(studio, tmp_path):
    roster = tmp_path / "class.csv"
    roster.write_text("Name,Status\nAna,Cancelled\n,\n", encoding="utf-8")
    with pytest.raises(ContentError, match="the roster has no clients to print: 1 left out"):
        build_batch(roster, project=studio, out_dir=tmp_path / "out", date=DATE)
    assert not (tmp_path / "out").exists()
    roster.write_text("Name,Email\n", encoding="utf-8")
    result = runner.invoke(app, ["--project", str(studio.root), "batch", str(roster), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.stderr == f"error: {roster}: the roster has no clients to print: it has a header and no rows " \
                            "(hint: export the class's bookings again, with its clients in it)\n"


def test_a_file_of_another_kind_in_the_folder_is_replaced_with_a_warning(studio, tmp_path):
    roster = tmp_path / "class.csv"
    roster.write_text("Name\nAna García\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    built_alone = build_handout(project=studio, out_dir=out, client="Ana García", date=DATE)
    report = build_batch(roster, project=studio, out_dir=out, date=DATE, jobs=1)
    [warning] = report.warnings
    assert warning.message == f"replaced {built_alone.path}, which no batch of this folder made"


@pytest.mark.parametrize("planted", ["fifo", "devzero"])
def test_a_planted_manifest_is_refused_not_read(studio, tmp_path, planted):
    out = tmp_path / "out"
    out.mkdir()
    if planted == "fifo":
        os.mkfifo(out / MANIFEST)
    else:
        os.symlink("/dev/zero", out / MANIFEST)
    roster = tmp_path / "class.csv"
    roster.write_text("Name\nAna García\n", encoding="utf-8")
    with pytest.raises(OutputError, match=r"\.handouts-batch\.json is a (named pipe \(FIFO\)|link); the tool keeps"):
        build_batch(roster, project=studio, out_dir=out, date=DATE, jobs=1)


WEDNESDAY = "Client Name,Email,Notes\nAna García,ana@example.org,Towel under head\nBo Li,bo@example.org,\n"
ANA = "constructive-rest.en.classic.letter.ana-garcia.pdf"
BO = "constructive-rest.en.classic.letter.bo-li.pdf"


def test_a_handout_rebuilt_alone_or_edited_by_hand_is_built_again(studio, tmp_path):
    roster, out = tmp_path / "wednesday.csv", tmp_path / "out"
    roster.write_text(WEDNESDAY, encoding="utf-8")
    first = build_batch(roster, project=studio, out_dir=out, class_name="Wed Mat", date=DATE, jobs=1)
    pack = (out / PACK_NAME).read_bytes()
    build_handout(project=studio, out_dir=out, client="Ana García", note="DIFFERENT NOTE", date=DATE)
    again = build_batch(roster, project=studio, out_dir=out, class_name="Wed Mat", date=DATE, jobs=1)
    assert [p.name for p in again.built] == [ANA] and [p.name for p in again.up_to_date] == [BO]
    assert "Towel under head" in pdf_text(out / ANA) and "DIFFERENT NOTE" not in pdf_text(out / ANA)
    assert (out / ANA).read_bytes() == (first.out_dir / ANA).read_bytes() and not again.pack_built
    [warning] = again.warnings
    assert warning.message == f"replaced {out / ANA}, which had changed since this batch wrote it"
    # An edit that keeps the size (a byte changed in place), and a pack that lost its end, are seen too.
    edited = bytearray((out / BO).read_bytes())
    edited[-10] ^= 1
    (out / BO).write_bytes(bytes(edited))
    (out / PACK_NAME).write_bytes(pack[:-100])
    third = build_batch(roster, project=studio, out_dir=out, class_name="Wed Mat", date=DATE, jobs=1)
    assert [p.name for p in third.built] == [BO] and third.pack_built and (out / PACK_NAME).read_bytes() == pack
    fourth = build_batch(roster, project=studio, out_dir=out, class_name="Wed Mat", date=DATE, jobs=1)
    assert not fourth.built and not fourth.pack_built and not fourth.warnings


def test_rosters_of_one_name_from_two_folders_never_share_a_class_folder(studio, tmp_path):
    first, second = tmp_path / "a" / "ClassRoster.csv", tmp_path / "b" / "ClassRoster.csv"
    for path, text in ((first, "Name\nAlice Ward\nBea Ruiz\n"), (second, "Name\nCarl Diaz\n")):
        path.parent.mkdir()
        path.write_text(text, encoding="utf-8")
    monday = build_batch(first, project=studio, date=DATE, jobs=1)
    folder = studio.root / "output" / "classroster"
    assert monday.out_dir == folder and len(monday.built) == 2
    with pytest.raises(OutputError) as refused:
        build_batch(second, project=studio, date=DATE, jobs=1)
    assert str(refused.value.problems[0]) == (
        f"{second}: {folder} holds the class of another roster of this name, {first} (hint: give this class a "
        'folder of its own with --class-name "NAME" (with the date, it names the folder), or pass --out DIR '
        "with another folder)")
    assert pdfs(folder) == sorted([PACK_NAME, "constructive-rest.en.classic.letter.alice-ward.pdf",
                                   "constructive-rest.en.classic.letter.bea-ruiz.pdf"])
    result = runner.invoke(app, ["--project", str(studio.root), "batch", str(second), "--date", "2026-12-01"])
    assert result.exit_code == 1 and result.stderr.count("\n") == 1 and result.stdout == ""
    tuesday = build_batch(second, project=studio, class_name="Tue Mat", date=DATE, jobs=1)
    assert tuesday.out_dir == studio.root / "output" / "tue-mat-2026-12-01" and len(tuesday.built) == 1
    # The same roster, exported again with a client less, still updates its own folder.
    first.write_text("Name\nAlice Ward\n", encoding="utf-8")
    update = build_batch(first, project=studio, date=DATE, jobs=1)
    assert [p.name for p in update.removed] == ["constructive-rest.en.classic.letter.bea-ruiz.pdf"]


def test_the_files_of_a_stopped_batch_are_its_own_the_next_time(studio, tmp_path, monkeypatch):
    import handouts.batch.chunks as chunks

    roster, out = tmp_path / "class.csv", tmp_path / "out"
    roster.write_text("Name\n" + "".join(f"Client {n:02d}\n" for n in range(8)), encoding="utf-8")
    written = []

    def stopped_after_five(folder, name, data, **options):
        if len(written) == 5:
            raise KeyboardInterrupt
        written.append(name)
        return write_atomic(folder, name, data, **options)

    monkeypatch.setattr(chunks, "write_atomic", stopped_after_five)
    with pytest.raises(KeyboardInterrupt):
        build_batch(roster, project=studio, out_dir=out, date=DATE, jobs=1)
    monkeypatch.undo()
    assert pdfs(out) == sorted(written) and not (out / MANIFEST).exists()
    rerun = build_batch(roster, project=studio, out_dir=out, date=DATE, jobs=1)
    assert not rerun.warnings
    assert [p.name for p in rerun.up_to_date] == written and len(rerun.built) == 3 and rerun.pack_built
    assert not (out / ".handouts-batch.journal").exists()  # folded into the manifest


def test_a_wrong_content_or_template_is_one_line_and_writes_nothing(studio, tmp_path):
    roster = tmp_path / "class.csv"
    roster.write_text(WEDNESDAY, encoding="utf-8")
    args = ["--project", str(studio.root), "batch", str(roster), "--out", str(tmp_path / "out")]
    for wrong, said in ((["--content", "nothere"], "error: no content 'nothere' in language 'en' (hint: available: "),
                        (["nothere.yaml"], "error: nothere.yaml: content file not found"),
                        (["--lang", "fr"], "error: no content 'constructive-rest' in language 'fr' (hint: "),
                        (["--template", "nope"], "error: unknown template 'nope' (hint: available: classic, ")):
        result = runner.invoke(app, args + wrong)
        assert result.exit_code == 1 and result.stderr.startswith(said), result.output
        assert result.stderr.count("\n") == 1 and result.stdout == ""
        assert not (tmp_path / "out").exists()
    # A row's own language the content is not in is still that row's own failure.
    roster.write_text(WEDNESDAY.replace("Notes\n", "Notes,Language\n").replace("head\n", "head,fr\n"), encoding="utf-8")
    french = runner.invoke(app, args + ["--lang", "es"])
    assert french.exit_code == 1 and [line["status"] for line in clients_csv(tmp_path / "out")] == ["failed", "built"]


def test_many_files_replaced_unsaid_are_one_warning_line(studio, tmp_path):
    roster, out = tmp_path / "class.csv", tmp_path / "out"
    roster.write_text("Name\nAna García\nBo Li\nCai Wu\nDee Park\n", encoding="utf-8")
    out.mkdir()
    slugs = ["ana-garcia", "bo-li", "cai-wu", "dee-park"]
    for slug in slugs:
        (out / f"constructive-rest.en.classic.letter.{slug}.pdf").write_bytes(b"%PDF-1.4 someone else's")
    [warning] = build_batch(roster, project=studio, out_dir=out, date=DATE, jobs=1).warnings
    assert warning.message == f"replaced 4 files in {out}, which no batch of this folder made: " + ", ".join(
        f"constructive-rest.en.classic.letter.{slug}.pdf" for slug in slugs[:3]) + " and 1 more"
