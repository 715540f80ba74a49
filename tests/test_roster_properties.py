"""Any roster at all: read as written, or refused by the tool in words; never a crash.

Random tables (names, notes, statuses full of quotes, delimiters, line
breaks, accents and control characters) in each encoding and delimiter a
studio's software writes, random bytes, damaged workbooks. A roster is
read with every name as written, or refused with a HandoutError; anything
else is a bug. HYPOTHESIS_PROFILE=ci runs many more examples (CI sets it).
"""

from __future__ import annotations

import csv
import io
import tempfile
import zipfile
from pathlib import Path

from hypothesis import event, given
from hypothesis import strategies as st

from handouts.batch.roster import read_roster
from handouts.errors import HandoutError

from test_roster_exports import workbook

FOLDER = Path(tempfile.mkdtemp(prefix="handouts-roster-properties-"))
HOSTILE = ['"', "'", ",", ";", "\t", "|", "\n", "\r\n", "=", "[/x]", "\x1b]0;t\x07", "\x00", "é", "Ł", "€", "ß",
           "😀", "שלום", " ", "Cancelled", "Not cancelled", "no-show"]
CELL = st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=6)), max_size=4).map("".join)
#: A cell a spreadsheet would write on one line, in Windows-1252's letters.
PLAIN = st.text(st.characters(codec="cp1252", exclude_characters="\r\n\x00"), min_size=1, max_size=12) \
    .map(lambda text: " ".join(text.split())).filter(bool)
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "cp1252"]
DELIMITERS = [",", ";", "\t"]


def write_csv(rows: list[list[str]], delimiter: str, encoding: str) -> Path | None:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    try:
        data = buffer.getvalue().encode(encoding)
    except UnicodeEncodeError:
        return None
    path = FOLDER / "roster.csv"
    path.write_bytes(data)
    return path


def read_or_refuse(path: Path):
    try:
        return read_roster(path)
    except HandoutError as error:
        event(f"refused: {error.problems[0].message[:40]}")
        assert str(error)
        return None


@given(rows=st.lists(st.fixed_dictionaries({"name": CELL, "note": CELL, "status": CELL}), max_size=12),
       delimiter=st.sampled_from(DELIMITERS), encoding=st.sampled_from(ENCODINGS))
def test_any_table_is_read_or_refused_in_words(rows, delimiter, encoding):
    path = write_csv([["Client Name", "Notes", "Status"]] + [[r["name"], r["note"], r["status"]] for r in rows],
                     delimiter, encoding)
    if path is None:
        return
    roster = read_or_refuse(path)
    if roster is None:
        return
    event("read")
    seen = {c.row for c in roster.clients} | {x.row for x in roster.left_out} | {p.row for p in roster.problems}
    assert seen <= set(range(2, len(rows) + 2))


@given(rows=st.lists(st.tuples(PLAIN, PLAIN, PLAIN), min_size=1, max_size=15),
       delimiter=st.sampled_from(DELIMITERS), encoding=st.sampled_from(ENCODINGS))
def test_names_and_notes_on_one_line_come_back_exactly_in_every_encoding(rows, delimiter, encoding):
    path = write_csv([["First Name", "Last Name", "Notes"]] + [list(row) for row in rows], delimiter, encoding)
    roster = read_roster(path)
    assert [(c.row, c.name, c.note) for c in roster.clients] == [
        (number, f"{first} {last}", note) for number, (first, last, note) in enumerate(rows, start=2)]
    assert roster.delimiter == delimiter and not roster.problems


@given(data=st.binary(max_size=600), head=st.sampled_from([b"", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
                                                           b"\xff\xfe", b"\xef\xbb\xbfname\n"]))
def test_any_bytes_are_read_or_refused_in_words(data, head):
    path = FOLDER / "roster.bin"
    path.write_bytes(head + data)
    read_or_refuse(path)


WORKBOOK = workbook([["Client Name", "Language", "Notes"], ["Ana García", "es", "Una toalla"], ["Mei Chen", None, None]])


@given(part=st.sampled_from(["xl/worksheets/sheet1.xml", "xl/workbook.xml", "[Content_Types].xml"]),
       cut=st.integers(0, 400), junk=st.binary(max_size=40))
def test_a_damaged_workbook_is_read_or_refused_in_words(part, cut, junk):
    source = zipfile.ZipFile(io.BytesIO(WORKBOOK))
    path = FOLDER / "roster.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        for name in source.namelist():
            content = source.read(name)
            archive.writestr(name, content[:cut] + junk if name == part else content)
    read_or_refuse(path)


@given(columns=st.integers(1, 300), rows=st.integers(0, 60), width=st.integers(0, 12000))
def test_sizes_at_and_past_the_limits_are_read_or_refused_in_words(columns, rows, width):
    header = ["name"] + [f"extra {n}" for n in range(columns - 1)]
    body = [["x" * width] + [""] * (columns - 1) for _ in range(rows)]
    path = write_csv([header] + body, ",", "utf-8")
    roster = read_or_refuse(path)
    if roster is not None:
        assert columns <= 256 and (rows == 0 or width <= 10_000)


XLS = (Path(__file__).parent / "data" / "rosters" / "studio-export.xls").read_bytes()


@given(at=st.integers(0, len(XLS) - 1), cut=st.booleans(), junk=st.binary(min_size=1, max_size=64))
def test_a_damaged_excel_97_workbook_is_read_or_refused_in_words(at, cut, junk):
    path = FOLDER / "roster.xls"
    path.write_bytes(XLS[:at] + junk + (b"" if cut else XLS[at + len(junk):]))
    read_or_refuse(path)
