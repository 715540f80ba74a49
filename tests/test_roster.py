"""Reading rosters: our columns, studio-software exports, encodings, statuses, bad rows."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from handouts.batch.roster import ALIASES, Client, normalise_header, read_roster
from handouts.errors import ContentError

from conftest import ROOT

ROSTERS = ROOT / "tests" / "data" / "rosters"


def write(tmp_path: Path, text: str, name: str = "roster.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_our_own_columns(tmp_path):
    roster = read_roster(ROSTERS / "class.csv")
    assert not roster.problems and not roster.left_out
    assert roster.clients[0] == Client(2, "Ana García", "ana@example.org", None, None, False,
                                       "A folded towel under your head")
    assert [(c.row, c.name, c.lang, c.template) for c in roster.clients] == [
        (2, "Ana García", None, None), (3, "Ana García", "es", None),
        (4, "Zoë Łukasz", None, "classic"), (5, "Mei Chen", "en", None),
    ]


@pytest.mark.parametrize(("header", "field", "value", "expected"), [
    ("First Name", "first_name", "Ana", "Ana García"),
    ("first_name", "first_name", "Ana", "Ana García"),
    ("FIRST-NAME", "first_name", "Ana", "Ana García"),
    ("Given Name", "first_name", "Ana", "Ana García"),
    ("Last Name", "last_name", "García", "Bea García"),
    ("Surname", "last_name", "García", "Bea García"),
    ("Name", "name", "Ana García", "Ana García"),
    ("Full Name", "name", "Ana García", "Ana García"),
    ("Client Name", "name", "Ana García", "Ana García"),
    ("Customer", "name", "Ana García", "Ana García"),
    ("Customer Name", "name", "Ana García", "Ana García"),
    ("Guest", "name", "Ana García", "Ana García"),
    ("Guest Name", "name", "Ana García", "Ana García"),
    ("Member", "name", "Ana García", "Ana García"),
    ("Email", "email", "ana@example.org", "ana@example.org"),
    ("E-mail", "email", "ana@example.org", "ana@example.org"),
    ("Guest Email", "email", "ana@example.org", "ana@example.org"),
    ("Email Address", "email", "ana@example.org", "ana@example.org"),
    ("Language", "lang", "es", "es"),
    ("lang", "lang", "pt-BR", "pt-BR"),
    ("Template", "template", "Classic", "classic"),
    ("Layout", "template", "classic", "classic"),
    ("Large Print", "large_print", "Yes", True),
    ("large_print", "large_print", "x", True),
    ("Notes", "note", "Bring a towel", "Bring a towel"),
    ("Note", "note", "Bring a towel", "Bring a towel"),
    ("Comments", "note", "Bring a towel", "Bring a towel"),
    ("Teacher Note", "note", "Bring a towel", "Bring a towel"),
])
def test_every_alias_family(tmp_path, header, field, value, expected):
    # The other name parts come from columns that do not collide with the one under test.
    others = {"first_name": "Last Name", "last_name": "First Name"}.get(field, "Full Name")
    other_value = {"first_name": "García", "last_name": "Bea"}.get(field, "Ana García")
    if field == "name":
        others, other_value = "Ignored Column", "x"
    path = write(tmp_path, f"{others},{header}\n{other_value},{value}\n")
    roster = read_roster(path)
    assert not roster.problems, roster.problems
    client = roster.clients[0]
    if field in ("first_name", "last_name", "name"):
        assert client.name == expected
    else:
        assert getattr(client, field) == expected


def test_every_alias_is_already_normalised():
    for field, aliases in ALIASES.items():
        assert aliases, field
        assert all(normalise_header(alias) == alias for alias in aliases), field


@pytest.mark.parametrize("name", ["booking-export.csv", "semicolon.csv"])
def test_exports_with_bom_crlf_and_semicolons(name):
    raw = (ROSTERS / name).read_bytes()
    roster = read_roster(ROSTERS / name)
    assert not roster.problems
    assert [c.name for c in roster.clients] == ["Ana García", "Mei Chen"]
    assert roster.clients[0].email == "ana@example.org"
    assert roster.clients[0].note == "A folded towel under your head"
    if name == "booking-export.csv":
        assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
        # A quoted line break stays in its row, and the next rows keep their numbers.
        assert roster.clients[1].note == "Rest ten minutes, then roll to the side"
        assert [(x.row, x.status) for x in roster.left_out] == [(3, "Cancelled"), (5, "No Show")]
    else:
        assert raw.count(b";") > raw.count(b",")
        # The blank row 4 is skipped but still counted.
        assert roster.clients[1].row == 5
        assert [(x.row, x.name) for x in roster.left_out] == [(3, "Bob Smith")]


@pytest.mark.parametrize("status", ["Cancelled", "canceled", "Late Cancel", "late-cancelled", "No-show",
                                    "No Show", "noshow", "Waitlist", "Waitlisted", "Wait list", "Standby"])
def test_people_who_will_not_be_there_are_left_out(tmp_path, status):
    roster = read_roster(write(tmp_path, f"Name,Status\nAna,{status}\nBea,Booked\nCai,Checked in\nDan,\n"))
    assert [(x.row, x.name, x.status) for x in roster.left_out] == [(2, "Ana", status)]
    assert [c.name for c in roster.clients] == ["Bea", "Cai", "Dan"]


def test_xlsx_roster_with_numbers_booleans_and_gaps(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["Client Name", "Language", "Large Print", "Notes", "Visits", "Status"])
    sheet.append(["Ana García", "es", True, "Una toalla", 12, "Booked"])
    sheet.append([None, None, None, None, None, None])
    sheet.append(["Bob Smith", None, False, None, 3.0, "Cancelled"])
    sheet.append(["Mei Chen", None, 1, None, 7, None])
    path = tmp_path / "class.xlsx"
    book.save(path)
    roster = read_roster(path)
    assert not roster.problems
    assert [(c.row, c.name, c.lang, c.large_print, c.note) for c in roster.clients] == [
        (2, "Ana García", "es", True, "Una toalla"), (5, "Mei Chen", None, True, None),
    ]
    assert [(x.row, x.name) for x in roster.left_out] == [(4, "Bob Smith")]


def test_bad_rows_are_reported_at_their_row_and_the_rest_kept(tmp_path):
    path = write(tmp_path, "First Name,Last Name,Language,Large Print\n"
                           "Ana,García,,\n,,es,\nBea,Ruiz,zz,\nCai,Wu,,maybe\nDan,Lee,pt-BR,yes\n")
    roster = read_roster(path)
    assert [c.name for c in roster.clients] == ["Ana García", "Dan Lee"]
    problems = [bad.problem for bad in roster.problems]
    assert [(bad.row, bad.name) for bad in roster.problems] == [(3, ""), (4, "Bea Ruiz"), (5, "Cai Wu")]
    assert [(p.file, p.line, p.field) for p in problems] == [(path, 3, None), (path, 4, "lang"), (path, 5, "large_print")]
    assert str(problems[0]) == f"{path}:3: row has no client name (hint: fill in the name, or delete the row)"


def test_a_roster_without_a_name_column_is_one_error(tmp_path):
    path = write(tmp_path, "Email,Phone\nana@example.org,123\n")
    with pytest.raises(ContentError) as caught:
        read_roster(path)
    problem = caught.value.problems[0]
    assert (problem.file, problem.line) == (path, 1)
    assert "found: Email, Phone" in problem.hint


def test_a_roster_that_is_not_utf8_is_read_as_windows_1252_and_says_so(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_bytes("Name\nAna\nJosé\n".encode("cp1252"))
    roster = read_roster(path)
    assert roster.encoding == "Windows-1252" and [c.name for c in roster.clients] == ["Ana", "José"]


def test_unknown_columns_are_ignored_and_the_first_of_two_synonyms_wins(tmp_path):
    roster = read_roster(write(tmp_path, "Client Name,Full Name,Phone,Shoe Size,Email,Guest Email\n"
                                         "Ana García,Someone Else,555,38,ana@example.org,other@example.org\n"))
    assert (roster.clients[0].name, roster.clients[0].email) == ("Ana García", "ana@example.org")


def test_a_missing_roster_is_an_error(tmp_path):
    with pytest.raises(ContentError, match="roster file not found"):
        read_roster(tmp_path / "nope.csv")
