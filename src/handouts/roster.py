"""Class rosters: our own CSV columns, and studio-software exports as they come.

A roster is a table with a header row, read from CSV (UTF-8 with or without
a BOM, CRLF or LF, ``,`` ``;`` or tab) or from an Excel ``.xlsx`` sheet.
Header names are matched without regard to case, spaces, underscores or
punctuation, through aliases for what booking systems call the same thing
("Client Name", "Guest", "E-mail", "Booking Status"...); other columns are
ignored. Rows keep the number a spreadsheet shows them at (the header is row
1), so every message points at a row the user can find. Cancelled, no-show
and waitlisted bookings are left out and counted; a row that cannot be
printed is reported and skipped, and the others still print.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from handouts.errors import ContentError, Problem

#: Our field -> the header names (normalised: lower-case letters and digits) that mean it.
ALIASES = {
    "first_name": ["firstname", "first", "givenname", "forename", "clientfirstname", "guestfirstname",
                   "memberfirstname", "customerfirstname"],
    "last_name": ["lastname", "last", "surname", "familyname", "clientlastname", "guestlastname",
                  "memberlastname", "customerlastname"],
    "name": ["name", "fullname", "clientname", "client", "customer", "customername", "guest", "guestname",
             "member", "membername", "attendee", "attendeename", "participant", "student", "studentname"],
    "email": ["email", "emailaddress", "guestemail", "clientemail", "customeremail", "memberemail", "mail"],
    "lang": ["lang", "language", "preferredlanguage", "locale"],
    "template": ["template", "layout", "handouttemplate"],
    "large_print": ["largeprint", "largetext", "bigprint"],
    "note": ["note", "notes", "comment", "comments", "teachernote", "clientnote", "clientnotes", "message"],
    "status": ["status", "bookingstatus", "attendance", "attendancestatus", "reservationstatus", "visitstatus",
               "signinstatus"],
}
_FIELD_OF = {alias: name for name, aliases in ALIASES.items() for alias in aliases}

#: Statuses (letters only) of people who will not be in the room.
LEFT_OUT = ("cancel", "noshow", "waitlist", "waitinglist", "standby")
YES = {"1", "yes", "y", "true", "t", "x", "on", "✓", "✔", "si", "sí", "ja", "oui"}
NO = {"", "0", "no", "n", "false", "f", "off"}
MAX_NOTE = 600  # far beyond any box; a longer cell is a pasted document, not a note

_LANG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_TEMPLATE = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


@dataclass(frozen=True)
class Client:
    """One row that will get a handout."""

    row: int
    name: str
    email: str | None = None
    lang: str | None = None
    template: str | None = None
    large_print: bool = False
    note: str | None = None


@dataclass(frozen=True)
class LeftOut:
    """A booking that gets no handout (cancelled, no-show, waitlisted...)."""

    row: int
    name: str
    status: str


@dataclass(frozen=True)
class RowProblem:
    """A row that gets no handout, and why (the problem names the roster and the row)."""

    row: int
    name: str
    problem: Problem


@dataclass
class Roster:
    """What a roster file holds: clients to print, bookings left out, rows that are wrong."""

    file: Path
    clients: list[Client] = field(default_factory=list)
    left_out: list[LeftOut] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)


def normalise_header(text: str) -> str:
    """'First Name', 'first_name', 'FIRST-NAME' -> 'firstname'."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def read_roster(path: Path) -> Roster:
    """Read a CSV or .xlsx roster; problems with single rows are collected, not raised.

    Raises ContentError only when the file as a whole cannot be used (missing,
    not UTF-8, no header, no name column).
    """
    path = Path(path)
    if not path.is_file():
        raise ContentError("roster file not found", file=path, hint="check the path")
    rows = _xlsx_rows(path) if path.suffix.lower() in (".xlsx", ".xlsm") else _csv_rows(path)
    header_row, header = next(((number, cells) for number, cells in rows if any(c.strip() for c in cells)), (1, []))
    columns = _columns(path, header_row, header)
    roster = Roster(path)
    for number, cells in rows:
        if number <= header_row or not any(c.strip() for c in cells):
            continue
        values = {name: (cells[index].strip() if index < len(cells) else "") for name, index in columns.items()}
        _add_row(roster, number, values)
    return roster


def _columns(path: Path, row: int, header: list[str]) -> dict[str, int]:
    """Our field -> column index; the first column that means a field wins."""
    columns: dict[str, int] = {}
    for index, title in enumerate(header):
        name = _FIELD_OF.get(normalise_header(title))
        if name and name not in columns:
            columns[name] = index
    if not ({"name", "first_name", "last_name"} & columns.keys()):
        raise ContentError(
            "the roster has no name column", file=path, line=row,
            hint="name a column first_name and last_name, or name (also understood: First Name, "
                 f"Client Name, Guest, Member...); found: {', '.join(h for h in header if h) or 'nothing'}",
        )
    return columns


def _add_row(roster: Roster, number: int, values: dict[str, str]) -> None:
    name = " ".join(values.get("name", "").split())
    if not name:
        name = " ".join(" ".join((values.get("first_name", ""), values.get("last_name", ""))).split())
    status = values.get("status", "")
    if status and any(word in normalise_header(status) for word in LEFT_OUT):
        roster.left_out.append(LeftOut(number, name, status))
        return

    def problem(message: str, field: str | None = None, hint: str | None = None) -> None:
        roster.problems.append(RowProblem(number, name, Problem(message, file=roster.file, line=number,
                                                                field=field, hint=hint)))

    if not name:
        return problem("row has no client name", hint="fill in the name, or delete the row")
    lang = values.get("lang") or None
    if lang and not _LANG.match(lang):
        return problem(f"'{lang}' is not a language code", "lang", "use a code such as en, es or pt-BR")
    template = values.get("template", "").lower() or None
    if template and not _TEMPLATE.match(template):
        return problem(f"'{template}' is not a template name", "template", "see `handouts templates`")
    large = values.get("large_print", "").casefold()
    if large not in YES | NO:
        return problem(f"'{values['large_print']}' is not yes or no", "large_print", "write yes or leave it empty")
    note = " ".join(values.get("note", "").split()) or None
    if note and len(note) > MAX_NOTE:
        return problem(f"the note is {len(note)} characters long", "note", "keep a note to two or three lines")
    roster.clients.append(Client(number, name, values.get("email") or None, lang, template, large in YES, note))


def _decode(path: Path, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ContentError(
            "the roster is not UTF-8 text", file=path, line=line,
            hint="save it again as 'CSV UTF-8', or as an .xlsx workbook",
        ) from None


def _csv_rows(path: Path) -> list[tuple[int, list[str]]]:
    """Each record with its row number (a quoted line break stays inside its row)."""
    try:
        text = _decode(path, path.read_bytes())
    except OSError as exc:
        raise ContentError(f"cannot read the roster: {exc.strerror}", file=path) from None
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return list(enumerate(reader, start=1))
    except csv.Error as exc:
        raise ContentError(f"the roster is not valid CSV: {exc}", file=path, line=reader.line_num) from None


def _xlsx_rows(path: Path) -> list[tuple[int, list[str]]]:
    """The first sheet's rows as text, numbered as Excel numbers them."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, OSError, KeyError, ValueError) as exc:
        raise ContentError(f"cannot read the workbook: {exc}", file=path,
                           hint="save the roster from Excel as .xlsx, or as CSV UTF-8") from None
    try:
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        return [(number, [_cell_text(value) for value in row]) for number, row in enumerate(rows, start=sheet.min_row)]
    finally:
        book.close()


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
