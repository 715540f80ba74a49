"""Class rosters: our own columns, and studio-software exports as they come.

A roster is a table with a header row (read by ``tables``: CSV in any common
encoding, or a workbook, whatever the file is called). Header names are
matched without regard to case, spaces, underscores or punctuation, through
aliases for what booking systems call the same thing ("Client Name",
"Guest", "E-mail", "Booking Status"...); other columns are ignored and
listed. Rows keep the number a spreadsheet shows them at (the header is row
1), so every message points at a row the user can find. A booking whose
status is one of ``LEFT_OUT`` (cancelled, no-show, waitlisted...) is left out
and listed; a row that cannot be printed is reported and skipped, and the
others still print. Languages are read by code or by name, in any case
(``ES``, ``es-MX``, ``Spanish``, ``Español``), with langcodes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from handouts.batch.tables import read_table
from handouts.errors import ContentError, Problem
from handouts.terminal import shown

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
#: What each of our fields means, for ``handouts roster``.
MEANING = {
    "first_name": "first name", "last_name": "last name", "name": "client's name", "email": "e-mail (clients.csv)",
    "lang": "handout language", "template": "layout", "large_print": "large-print layout",
    "note": "teacher's note", "status": "booking status",
}

#: Booking statuses (normalised, whole values) of people who will not be in the room, and why.
LEFT_OUT = {
    **dict.fromkeys(["cancelled", "canceled", "cancel", "cancellation", "latecancel", "latecancelled",
                     "latecanceled", "latecancellation", "earlycancel", "earlycancelled", "earlycanceled"],
                    "cancelled"),
    **dict.fromkeys(["noshow", "noshowed", "absent", "didnotattend", "dna"], "no-show"),
    **dict.fromkeys(["waitlist", "waitlisted", "waitinglist", "onwaitlist", "onwaitinglist"], "waitlisted"),
    **dict.fromkeys(["standby", "onstandby"], "standby"),
}
YES = {"1", "yes", "y", "true", "t", "x", "on", "✓", "✔", "si", "sí", "ja", "oui"}
NO = {"", "0", "no", "n", "false", "f", "off"}
MAX_NOTE = 600  # far beyond any box; a longer cell is a pasted document, not a note

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
    email: str | None = None


@dataclass(frozen=True)
class RowProblem:
    """A row that gets no handout, and why (the problem names the roster and the row)."""

    row: int
    name: str
    problem: Problem
    email: str | None = None


@dataclass
class Roster:
    """What a roster file holds: clients to print, bookings left out, rows that are wrong, and how it was read."""

    file: Path
    clients: list[Client] = field(default_factory=list)
    left_out: list[LeftOut] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    kind: str = "CSV"
    encoding: str | None = None  # for text: the encoding assumed
    delimiter: str | None = None
    columns: dict[str, str] = field(default_factory=dict)  # our field -> the header that gave it
    ignored: list[str] = field(default_factory=list)  # headers that mean nothing to us

    def not_printed(self) -> list[tuple[int, str, str]]:
        """Every row that gets no handout, in row order: its number, the client's name and why, in words."""
        rows = [(item.row, item.name, f"{left_out_reason(item.status)} (status: {item.status})")
                for item in self.left_out]
        rows += [(item.row, item.name, _why(item.problem)) for item in self.problems]
        return sorted(rows)

    def require_clients(self) -> None:
        """A roster with no one to print is an error that says why (and lists what was wrong with its rows)."""
        if self.clients:
            return
        parts = [f"{len(self.left_out)} left out"] if self.left_out else []
        parts += [f"{len(self.problems)} with a problem"] if self.problems else []
        why = f": {' and '.join(parts)}" if parts else ": it has a header and no rows"
        error = ContentError(f"the roster has no clients to print{why}", file=self.file,
                             hint="export the class's bookings again, with its clients in it")
        error.problems += [problem.problem for problem in self.problems]
        raise error


def _why(problem: Problem) -> str:
    text = f"{problem.field}: {problem.message}" if problem.field else problem.message
    return f"{text} ({problem.hint})" if problem.hint else text


def normalise_header(text: str) -> str:
    """'First Name', 'first_name', 'FIRST-NAME' -> 'firstname'."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def read_roster(path: Path) -> Roster:
    """Read a roster; problems with single rows are collected, not raised.

    Raises ContentError only when the file as a whole cannot be used (missing,
    not a file, too big, not a table, no header, no name column).
    """
    path = Path(path)
    table = read_table(path)
    header_row, header = next(((number, cells) for number, cells in table.rows if any(c.strip() for c in cells)),
                              (1, []))
    if not header:
        raise ContentError("the roster is empty", file=path,
                           hint="export the class's bookings again: a header row, then a row per client")
    columns = _columns(path, header_row, header)
    roster = Roster(path, kind=table.kind, encoding=table.encoding, delimiter=table.delimiter,
                    columns={name: header[index].strip() for name, index in columns.items()},
                    ignored=[title.strip() for index, title in enumerate(header)
                             if title.strip() and index not in columns.values()])
    for number, cells in table.rows:
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
        found = ", ".join(shown(h, 40) for h in header[:12] if h.strip()) or "nothing"
        raise ContentError(
            "the roster has no name column", file=path, line=row,
            hint="name a column first_name and last_name, or name (also understood: First Name, "
                 f"Client Name, Guest, Member...); found: {found}",
        )
    return columns


def left_out_reason(status: str) -> str | None:
    """'Late Cancel' -> 'cancelled'; 'Not cancelled', 'Booked' or '' -> None (the client prints)."""
    return LEFT_OUT.get(normalise_header(status))


def _add_row(roster: Roster, number: int, values: dict[str, str]) -> None:
    name = " ".join(values.get("name", "").split())
    if not name:
        name = " ".join(" ".join((values.get("first_name", ""), values.get("last_name", ""))).split())
    email = values.get("email") or None
    status = values.get("status", "")
    if left_out_reason(status):
        roster.left_out.append(LeftOut(number, name, status, email))
        return

    def problem(message: str, field: str | None = None, hint: str | None = None) -> None:
        roster.problems.append(RowProblem(number, name, Problem(message, file=roster.file, line=number,
                                                                field=field, hint=hint), email))

    if not name:
        return problem("row has no client name", hint="fill in the name, or delete the row")
    lang = None
    if values.get("lang"):
        try:
            lang = language(values["lang"])
        except ValueError as error:
            return problem(str(error), "lang", "use a code such as en, es or pt-BR, or a name such as Spanish")
    template = values.get("template", "").lower() or None
    if template and not _TEMPLATE.match(template):
        return problem(f"'{shown(template, 40)}' is not a template name", "template", "see `handouts templates`")
    large = values.get("large_print", "").casefold()
    if large not in YES | NO:
        return problem(f"'{shown(values['large_print'], 40)}' is not yes or no", "large_print",
                       "write yes or leave it empty")
    note = " ".join(values.get("note", "").split()) or None
    if note and len(note) > MAX_NOTE:
        return problem(f"the note is {len(note)} characters long", "note", "keep a note to two or three lines")
    roster.clients.append(Client(number, name, email, lang, template, large in YES, note))


@lru_cache(maxsize=256)
def language(value: str) -> str:
    """A language code or name, in any case, as a BCP 47 tag: 'ES' -> 'es', 'es_MX' -> 'es-MX', 'Español' -> 'es'.

    Raises ValueError, in words, for text that is neither.
    """
    import langcodes

    text = value.strip()
    try:
        tag = langcodes.standardize_tag(text)
    except ValueError:
        try:
            tag = str(langcodes.find(text)) if len(text) <= 64 else ""
        except LookupError:
            tag = ""
    found = langcodes.Language.get(tag) if tag else None
    if not (found and found.is_valid() and re.fullmatch("[a-z]{2,3}", found.language or "") and found.language != "und"):
        raise ValueError(f"'{shown(text, 40)}' is not a language code or name")
    return tag
