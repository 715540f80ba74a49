"""``clients.csv``: which file goes to whom, for the front desk and a mail merge.

One row per roster row that names a client, in roster order: the row
number, name, e-mail, language, template, file, pages, and a status (built,
up to date, left out, failed) with the reason for the last two. Written as
UTF-8 with a byte-order mark, which is what makes Excel show accents right.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from handouts.output import write_atomic

NAME = "clients.csv"
COLUMNS = ["row", "name", "email", "language", "template", "file", "pages", "status", "reason"]


@dataclass(frozen=True)
class Line:
    """One client's line in clients.csv."""

    row: int
    name: str
    email: str | None
    status: str
    language: str = ""
    template: str = ""
    file: str = ""
    pages: int | None = None
    reason: str = ""


def write_clients(out_dir: Path, lines: list[Line]) -> Path:
    """Write ``clients.csv`` into ``out_dir`` (atomically, like the PDFs); return its path."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for line in sorted(lines, key=lambda line: line.row):
        writer.writerow([line.row, _cell(line.name), _cell(line.email or ""), line.language, line.template,
                         line.file, "" if line.pages is None else line.pages, line.status, _cell(line.reason)])
    return write_atomic(out_dir, NAME, buffer.getvalue().encode("utf-8-sig"))


def _cell(text: str) -> str:
    """A spreadsheet runs a cell starting with = + - @ as a formula: such text is kept as text."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text
