"""Rosters as studios export them: encodings, workbooks under any name, languages by name, statuses, limits."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from handouts import limits
from handouts.batch.roster import language, left_out_reason, read_roster
from handouts.batch.run import build_batch
from handouts.batch.tables import read_table
from handouts.errors import ContentError

from conftest import DATE, ROOT, pdf_text

#: What a booking system's "Export to Excel (CSV)" writes on Windows: Windows-1252, CRLF, its own columns.
EXPORT = ("Client ID,First Name,Last Name,Email,Phone,Booking Status,Notes\r\n"
          "1041,José,Núñez,jose@example.org,555-0101,Booked,Rodillas juntas si duele la espalda\r\n"
          "1042,Siobhán,Ó Briain,siobhan@example.org,555-0102,Not cancelled,\r\n"
          "1043,Françoise,Lefèvre,fl@example.org,555-0103,Late Cancel,\r\n"
          "1044,Björn,Sørensen,bjorn@example.org,555-0104,Checked in,A folded towel under your head\r\n")


def write(tmp_path: Path, text: str, name: str = "roster.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def workbook(rows: list[list]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_windows_1252_export_builds_with_every_accent(tmp_path, project):
    roster = write(tmp_path, EXPORT, "export.csv", "cp1252")
    read = read_roster(roster)
    assert (read.kind, read.encoding, read.delimiter) == ("CSV", "Windows-1252", ",")
    assert [c.name for c in read.clients] == ["José Núñez", "Siobhán Ó Briain", "Björn Sørensen"]
    assert [(x.row, x.name, x.status) for x in read.left_out] == [(4, "Françoise Lefèvre", "Late Cancel")]
    report = build_batch(roster, project=project, out_dir=tmp_path / "out", date=DATE, jobs=1)
    assert report.ok and len(report.built) == 3
    for path, client in zip(report.built, ["José Núñez", "Siobhán Ó Briain", "Björn Sørensen"]):
        assert client in pdf_text(path)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig", "utf-8"])
def test_unicode_exports_are_read_in_their_encoding(tmp_path, encoding):
    read = read_roster(write(tmp_path, EXPORT.replace(",", "\t"), encoding=encoding))
    assert read.encoding == ("UTF-16" if encoding == "utf-16" else "UTF-8") and read.delimiter == "\t"
    assert read.clients[0].name == "José Núñez" and read.clients[0].note == "Rodillas juntas si duele la espalda"


def test_a_workbook_is_known_by_its_content_whatever_its_name(tmp_path, project):
    data = workbook([["Client Name", "Language", "Email"], ["Zoë Łukasz", "Español", "zoe@example.org"],
                     ["Mei Chen", None, None]])
    renamed = tmp_path / "class.csv"
    renamed.write_bytes(data)
    read = read_roster(renamed)
    assert read.kind == "Excel workbook (.xlsx)" and [c.name for c in read.clients] == ["Zoë Łukasz", "Mei Chen"]
    report = build_batch(renamed, project=project, out_dir=tmp_path / "out", date=DATE, jobs=1)
    assert report.ok
    assert "Zoë Łukasz" in pdf_text(report.built[0]) and "Descanso constructivo" in pdf_text(report.built[0])
    text_renamed = write(tmp_path, "name\nAna García\n", "roster.xlsx")
    assert read_roster(text_renamed).kind == "CSV"


def ods(rows_xml: str) -> bytes:
    table = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               f'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="{table}" '
               f'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body>'
               f'<office:spreadsheet><table:table table:name="Roster">{rows_xml}</table:table></office:spreadsheet>'
               f'</office:body></office:document-content>')
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry '
                'manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '</manifest:manifest>')
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        archive.writestr("content.xml", content)
        archive.writestr("META-INF/manifest.xml", manifest)
    return buffer.getvalue()


def cell(text: str, repeat: int = 1) -> str:
    times = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
    return f'<table:table-cell office:value-type="string"{times}><text:p>{text}</text:p></table:table-cell>'


def test_a_libreoffice_sheet_with_its_million_empty_rows_is_read(tmp_path):
    empty = '<table:table-cell table:number-columns-repeated="1022"/>'
    rows = (f"<table:table-row>{cell('Name')}{cell('Language')}{empty}</table:table-row>"
            f"<table:table-row>{cell('Ana García')}{cell('SPANISH')}{empty}</table:table-row>"
            '<table:table-row table:number-rows-repeated="1048574"><table:table-cell '
            'table:number-columns-repeated="1024"/></table:table-row>')
    path = tmp_path / "roster.ods"
    path.write_bytes(ods(rows))
    read = read_roster(path)
    assert read.kind == "OpenDocument spreadsheet (.ods)"
    assert [(c.row, c.name, c.lang) for c in read.clients] == [(2, "Ana García", "es")]


def test_an_ods_whose_text_fills_a_million_cells_is_refused_before_it_is_read(tmp_path):
    rows = (f"<table:table-row>{cell('Name')}</table:table-row>"
            f'<table:table-row table:number-rows-repeated="100000">{cell("x", 1000)}</table:table-row>')
    path = tmp_path / "roster.ods"
    path.write_bytes(ods(rows))
    with pytest.raises(ContentError, match="used area is 1000 columns by 100001 rows; a roster may have at most"):
        read_roster(path)


@pytest.mark.parametrize(("value", "tag"), [("ES", "es"), ("es", "es"), ("es-MX", "es-MX"), ("es_mx", "es-MX"),
                                            ("Spanish", "es"), ("SPANISH", "es"), ("Español", "es"),
                                            ("español", "es"), ("English", "en"), ("EN", "en"), ("pt-BR", "pt-BR")])
def test_languages_by_code_or_name_in_any_case(value, tag):
    assert language(value) == tag


@pytest.mark.parametrize("value", ["xx", "castellano", "x-klingon", "und", "1", "q" * 300])
def test_what_is_not_a_language_is_said_so(value):
    with pytest.raises(ValueError, match="is not a language code or name"):
        language(value)


def test_es_spanish_and_es_mx_rows_get_the_spanish_handout(tmp_path, project):
    roster = write(tmp_path, "Name,Language\nAna García,ES\nBea Ruiz,Spanish\nCai López,es-MX\nDan Lee,English\n"
                             "Eva Soto,Español\n")
    report = build_batch(roster, project=project, out_dir=tmp_path / "out", date=DATE, jobs=1)
    assert report.ok, report.failed
    langs = [path.name.split(".")[1] for path in report.built]
    assert langs == ["es", "es", "es", "en", "es"]
    for path in report.built:
        assert ("Descanso constructivo" in pdf_text(path)) == (path.name.split(".")[1] == "es")


@pytest.mark.parametrize(("status", "reason"), [
    ("Cancelled", "cancelled"), ("late-cancelled", "cancelled"), ("No Show", "no-show"), ("Waitlisted", "waitlisted"),
    ("Wait list", "waitlisted"), ("Standby", "standby"), ("Not cancelled", None), ("Booked", None),
    ("Cancel requested", None), ("", None), ("Checked in", None)])
def test_booking_statuses_are_matched_as_whole_values(status, reason):
    assert left_out_reason(status) == reason


def test_not_cancelled_is_printed(tmp_path):
    read = read_roster(write(tmp_path, "Name,Status\nAna,Not cancelled\nBea,Cancelled\n"))
    assert [c.name for c in read.clients] == ["Ana"] and [x.name for x in read.left_out] == ["Bea"]


def test_a_quoted_header_holding_a_semicolon_does_not_flip_the_delimiter(tmp_path):
    read = read_roster(write(tmp_path, '"Client Name",Email,"Phone; mobile",Notes\n'
                                       'Ana García,ana@example.org,555,"Towel; blanket"\n'))
    assert read.delimiter == ","
    assert (read.clients[0].name, read.clients[0].email, read.clients[0].note) == (
        "Ana García", "ana@example.org", "Towel; blanket")
    semicolons = read_roster(write(tmp_path, "Name;Email\nAna García;ana@example.org\n", "b.csv"))
    assert semicolons.delimiter == ";" and semicolons.clients[0].email == "ana@example.org"


UNCLOSED = ("first_name,last_name,email,lang,large_print,note\nAna,Garcia,,en,,ok\nBob,\"Smith,,en,,unclosed\n"
            "Carla,Diaz,,en,,\nDan,Evans,,en,,\nEve,Fox,,en,,\n")


def test_an_unterminated_quote_is_an_error_at_the_row_it_opened(tmp_path):
    path = write(tmp_path, UNCLOSED)
    with pytest.raises(ContentError) as caught:
        read_roster(path)
    assert str(caught.value) == (f"{path}:3: a quote opened in this row is never closed where the row ends: it "
                                 "takes in the 3 line(s) after it (hint: close the quote (\") at the end of the value, "
                                 "or remove it)")
    closed_late = write(tmp_path, UNCLOSED.replace("Eve,Fox", 'Eve",Fox'), "late.csv")
    with pytest.raises(ContentError, match=r":3: a quote opened in this row is never closed .* takes in the 3 line"):
        read_roster(closed_late)


def test_a_quoted_line_break_in_a_note_is_not_an_unclosed_quote(tmp_path):
    read = read_roster(write(tmp_path, 'Name,Notes,Email\nAna,"Rest ten minutes,\nthen roll",a@x.org\nBea,,\n'))
    assert [c.note for c in read.clients] == ["Rest ten minutes, then roll", None] and read.clients[1].row == 3


@pytest.mark.parametrize("kind", ["folder", "fifo", "device"])
def test_a_roster_that_is_not_a_file_is_named_for_what_it_is(tmp_path, kind):
    path = tmp_path / "roster.csv"
    if kind == "folder":
        path.mkdir()
    elif kind == "fifo":
        os.mkfifo(path)
    else:
        path = Path("/dev/zero")
    expected = {"folder": "a folder", "fifo": "a named pipe (FIFO)", "device": "a device"}[kind]
    with pytest.raises(ContentError, match=f"the roster is {expected.replace('(', '.').replace(')', '.')}, not a file"):
        read_roster(path)


def test_a_roster_over_the_size_limit_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "huge.csv"
    with path.open("wb") as handle:
        handle.write(b"first_name,last_name\nAna,")
        handle.truncate(limits.MAX_ROSTER_BYTES + 1)  # sparse: nothing is written to disk
    with pytest.raises(ContentError, match="a roster may be at most 16 MB"):
        read_roster(path)


def test_a_row_of_a_million_commas_is_refused_with_the_limit(tmp_path):
    path = write(tmp_path, "first_name,last_name\nAna," + "," * 1_000_000 + "\nZoe,Lukasz\n")
    with pytest.raises(ContentError) as caught:
        read_roster(path)
    assert str(caught.value).startswith(f"{path}:2: this row has 1000002 cells; a roster row may have at most 256")


def test_a_cell_over_the_limit_is_refused(tmp_path):
    path = write(tmp_path, "name,note\nAna," + "x" * (limits.MAX_ROSTER_CELL_CHARS + 1) + "\n")
    with pytest.raises(ContentError, match=r":2: a cell holds more than 10000 characters"):
        read_roster(path)


def bomb_sheet(path: Path, sheet_xml: str) -> Path:
    source = zipfile.ZipFile(io.BytesIO(workbook([["name"], ["Ana Garcia"]])))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in source.namelist():
            archive.writestr(name, sheet_xml if name == "xl/worksheets/sheet1.xml" else source.read(name))
    return path


def test_a_cell_at_xfd1048576_is_refused_before_the_sheet_is_read(tmp_path):
    sheet = ('<?xml version="1.0" encoding="UTF-8"?><worksheet '
             'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
             '<row r="1"><c r="A1" t="inlineStr"><is><t>name</t></is></c></row>'
             '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t> </t></is></c></row></sheetData></worksheet>')
    path = bomb_sheet(tmp_path / "xfd.xlsx", sheet)
    assert path.stat().st_size < 10_000
    with pytest.raises(ContentError, match="the sheet's used area is 16384 columns by 1048576 rows"):
        read_roster(path)


def test_millions_of_shared_strings_are_refused_before_they_are_read(tmp_path):
    source = zipfile.ZipFile(io.BytesIO(workbook([["name"], ["Ana Garcia"]])))
    path = tmp_path / "sst.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name in source.namelist():
            archive.writestr(name, source.read(name))
        archive.writestr("xl/sharedStrings.xml", b"<sst>" + b"<si><t>a</t></si>" * (limits.MAX_WORKBOOK_SHARED_STRINGS + 1)
                         + b"</sst>")
    with pytest.raises(ContentError, match="the workbook holds 200001 different texts; a roster may hold at most"):
        read_roster(path)


@pytest.mark.parametrize("broken", ["not a zip", "malformed sheet", "other zip"])
def test_a_damaged_workbook_is_one_clear_error(tmp_path, broken):
    path = tmp_path / "roster.xlsx"
    if broken == "not a zip":
        path.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
        message = "the workbook is damaged and cannot be read"
    elif broken == "malformed sheet":
        bomb_sheet(path, "<worksheet><sheetData><row><c")
        message = "the workbook is damaged and cannot be read"
    else:
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("photo.jpg", b"x")
        message = "the roster is a zip archive, not a workbook"
    with pytest.raises(ContentError, match=message):
        read_table(path)


def test_a_header_only_roster_is_an_error_that_says_so(tmp_path):
    read = read_roster(write(tmp_path, "First Name,Last Name,Email\n"))
    with pytest.raises(ContentError, match="the roster has no clients to print: it has a header and no rows"):
        read.require_clients()


@pytest.mark.parametrize("text", ["", "\n\n", " , ,\n"])
def test_an_empty_roster_is_said_to_be_empty(tmp_path, text):
    with pytest.raises(ContentError, match="the roster is empty"):
        read_roster(write(tmp_path, text))


def test_columns_are_reported_with_their_meaning_and_the_ignored_ones(tmp_path):
    read = read_roster(write(tmp_path, EXPORT, encoding="cp1252"))
    assert read.columns == {"first_name": "First Name", "last_name": "Last Name", "email": "Email",
                            "status": "Booking Status", "note": "Notes"}
    assert read.ignored == ["Client ID", "Phone"]


def test_the_bundled_sample_roster_still_reads(tmp_path):
    read = read_roster(ROOT / "src" / "handouts" / "skeleton" / "rosters" / "example.csv")
    assert read.clients


def test_formatted_empty_cells_far_out_do_not_count_as_the_table(tmp_path):
    sheet = ('<?xml version="1.0" encoding="UTF-8"?><worksheet '
             'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
             '<row r="1"><c r="A1" t="inlineStr"><is><t>name</t></is></c></row>'
             '<row r="2"><c r="A2" t="inlineStr"><is><t>Ana García</t></is></c></row>'
             '<row r="900000" ht="20" customHeight="1"><c r="XFD900000" s="1"/></row></sheetData></worksheet>')
    read = read_roster(bomb_sheet(tmp_path / "styled.xlsx", sheet))
    assert [c.name for c in read.clients] == ["Ana García"]


def test_an_excel_97_workbook_is_read_whatever_its_name(tmp_path, project):
    # tests/data/rosters/studio-export.xls: written by xlwt (Excel 97-2003 format), as older booking systems export.
    renamed = tmp_path / "export.csv"
    renamed.write_bytes((ROOT / "tests" / "data" / "rosters" / "studio-export.xls").read_bytes())
    read = read_roster(renamed)
    assert read.kind == "Excel 97-2003 workbook (.xls)"
    assert [(c.row, c.name, c.lang) for c in read.clients] == [(2, "José Núñez", "es"), (4, "Björn Sørensen", "en")]
    assert [(x.row, x.status) for x in read.left_out] == [(3, "Late Cancel")]
    report = build_batch(renamed, project=project, out_dir=tmp_path / "out", date=DATE, jobs=1)
    assert report.ok and "José Núñez" in pdf_text(report.built[0]) and "Björn Sørensen" in pdf_text(report.built[1])


def test_one_far_cell_in_an_excel_97_workbook_is_refused_without_filling_the_sheet(tmp_path):
    # The fixture's bytes with its last cell (Notes of row 4) moved to IV65536, the farthest an .xls holds:
    # a reader that fills the area up to it takes a gigabyte for a 6 kB file.
    data = bytearray((ROOT / "tests" / "data" / "rosters" / "studio-export.xls").read_bytes())
    label = data.rfind(b"\xfd\x00\x0a\x00\x03\x00\x06\x00")  # LABELSST, 10 bytes, row 3 (0-based), column 6
    assert label > 0
    data[label + 4:label + 8] = b"\xff\xff\xff\x00"
    path = tmp_path / "far.xls"
    path.write_bytes(bytes(data))
    with pytest.raises(ContentError, match="the sheet's used area is 256 columns by 65536 rows"):
        read_roster(path)
