"""Rows of text from a roster file, whatever program saved it.

Studios export rosters from booking software, Excel, Numbers or LibreOffice,
and name the files as they like. The kind of file is read from its first
bytes, not its name: a workbook (``.xlsx`` and ``.ods`` read with calamine,
``.xls`` with xlrd) or text (CSV in UTF-8 with or without a byte-order mark,
UTF-16, or Windows-1252, detected with charset-normalizer; the delimiter is
the one that parses into a table). Every size is checked against ``limits`` before
the file is read in full, because a few kilobytes of zip can claim a million
rows. Rows are numbered as a spreadsheet shows them (the header is row 1).
"""

from __future__ import annotations

import csv
import io
import os
import re
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path

from handouts import limits
from handouts.errors import ContentError

Rows = list[tuple[int, list[str]]]

_ZIP = b"PK\x03\x04"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the container of Excel 97-2003 (.xls) files
_DELIMITERS = (",", ";", "\t", "|")
#: Encodings a roster is tried in when it is not UTF-8 (Excel's "CSV" on Windows is Windows-1252).
_EIGHT_BIT = ["utf_16", "utf_16_le", "utf_16_be", "utf_32", "cp1252"]
_NAMES = {"utf_8": "UTF-8", "utf_16": "UTF-16", "utf_16_le": "UTF-16", "utf_16_be": "UTF-16", "utf_32": "UTF-32",
          "cp1252": "Windows-1252", "latin_1": "Latin-1"}


@dataclass(frozen=True)
class Table:
    """What a roster file holds as text, and how it was read."""

    rows: Rows
    kind: str  # "CSV", "Excel workbook (.xlsx)"...
    encoding: str | None = None  # for text: the encoding assumed
    delimiter: str | None = None


def read_table(path: Path) -> Table:
    """The rows of ``path`` (a roster): ContentError when the file as a whole cannot be used."""
    data = _read_bytes(path)
    if data.startswith(_ZIP):
        return _zip_workbook(path, data)
    if data.startswith(_OLE2):
        return Table(_xls_rows(path, data), "Excel 97-2003 workbook (.xls)")
    text, encoding = decode(path, data)
    rows, delimiter = csv_rows(path, text)
    return Table(rows, "CSV", encoding, delimiter)


def _read_bytes(path: Path) -> bytes:
    """The file's bytes, once it is known to be a regular file under the size limit."""
    try:
        # O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise ContentError("roster file not found", file=path, hint="check the path") from None
    except IsADirectoryError:
        raise ContentError("the roster is a folder, not a file", file=path, hint="name the CSV or workbook file in it") from None
    except OSError as exc:
        raise ContentError(f"cannot read the roster: {exc.strerror}", file=path) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = "a folder" if stat.S_ISDIR(info.st_mode) else "a named pipe (FIFO)" if stat.S_ISFIFO(info.st_mode) \
                else "a device" if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode) else "a special file"
            raise ContentError(f"the roster is {kind}, not a file", file=path,
                               hint="export the roster from the booking software as CSV or a workbook")
        if info.st_size > limits.MAX_ROSTER_BYTES:
            raise ContentError(f"the roster is {info.st_size // 1024 // 1024} MB; a roster may be at most "
                               f"{limits.MAX_ROSTER_BYTES // 1024 // 1024} MB", file=path,
                               hint="export only the class's bookings")
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return handle.read(limits.MAX_ROSTER_BYTES + 1)
    finally:
        os.close(fd)


def decode(path: Path, data: bytes) -> tuple[str, str]:
    """The text and the name of the encoding assumed: UTF-8 when it is, else what charset-normalizer finds."""
    try:
        if not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return data.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=_EIGHT_BIT).best()
    if best is not None:
        return str(best), _NAMES.get(best.encoding, best.encoding)
    # Too short or too odd for a guess: Excel's own 8-bit encoding, else Latin-1 (which reads any byte).
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "Latin-1"


def csv_rows(path: Path, text: str) -> tuple[Rows, str]:
    """Each record with its row number, and the delimiter: the one whose first rows parse as a table."""
    sample = text[:64 * 1024]
    delimiter = max(_DELIMITERS, key=lambda candidate: _score(sample, candidate))
    old_limit = csv.field_size_limit(limits.MAX_ROSTER_CELL_CHARS)
    try:
        return _parse(path, text, delimiter), delimiter
    finally:
        csv.field_size_limit(old_limit)


def _score(sample: str, delimiter: str) -> tuple[int, int]:
    """(header cells, rows that have as many): higher means the sample is a table in this delimiter."""
    reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
    try:
        records = [row for _, row in zip(range(20), reader) if any(cell.strip() for cell in row)]
    except csv.Error:
        return (0, 0)
    if not records:
        return (0, 0)
    width = len(records[0])
    return (width if width > 1 else 0, sum(len(row) == width for row in records[1:]))


def _parse(path: Path, text: str, delimiter: str) -> Rows:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: Rows = []
    line, width = 0, None
    try:
        for number, cells in enumerate(reader, start=1):
            opened, line = line + 1, reader.line_num
            _check_size(path, number, cells)
            if width is None and any(cell.strip() for cell in cells):
                width = len(cells)
            elif width and line > opened and _swallows_rows(cells, delimiter, width):
                raise _unclosed_quote(path, number, line - opened)
            rows.append((number, cells))
    except csv.Error as exc:
        number = len(rows) + 1
        if "end of data" in str(exc):
            raise _unclosed_quote(path, number, reader.line_num - line - 1) from None
        if "field limit" in str(exc):
            raise ContentError(f"a cell holds more than {limits.MAX_ROSTER_CELL_CHARS} characters", file=path,
                               line=number, hint="a roster cell holds a name, a code or a short note") from None
        raise ContentError("a quote in this row is followed by more text before the next delimiter",
                           file=path, line=number,
                           hint="put a value with quotes in double quotes, with each quote doubled (\"\"), "
                                "or remove the quote") from None
    return rows


def _swallows_rows(cells: list[str], delimiter: str, width: int) -> bool:
    """A record over several lines that lacks columns, or whose quoted text holds lines that read as rows."""
    broken = [cell for cell in cells if "\n" in cell]
    if broken and len(cells) < width:
        return True
    enough = max(width - 1, 2)
    return any(part.count(delimiter) >= enough for cell in broken for part in cell.split("\n")[1:])


def _unclosed_quote(path: Path, row: int, lines: int) -> ContentError:
    taken = f"takes in the {lines} line(s) after it" if lines > 0 else "runs to the end of the file"
    return ContentError(f"a quote opened in this row is never closed where the row ends: it {taken}",
                        file=path, line=row, hint="close the quote (\") at the end of the value, or remove it")


def _check_size(path: Path, number: int, cells: list[str]) -> None:
    if number > limits.MAX_ROSTER_ROWS:
        raise ContentError(f"the roster has more than {limits.MAX_ROSTER_ROWS} rows", file=path, line=number,
                           hint="export only the class's bookings")
    if len(cells) > limits.MAX_ROSTER_COLUMNS:
        raise ContentError(f"this row has {len(cells)} cells; a roster row may have at most {limits.MAX_ROSTER_COLUMNS}",
                           file=path, line=number, hint="export only the columns the roster needs")


def _zip_workbook(path: Path, data: bytes) -> Table:
    """An .xlsx or .ods workbook (both are zip archives), checked part by part before it is read."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        if "xl/workbook.xml" in names:
            kind, fmt, extent = "Excel workbook (.xlsx)", "xlsx", _xlsx_extent
        elif "content.xml" in names and archive.read("mimetype")[:64].startswith(b"application/vnd.oasis"):
            kind, fmt, extent = "OpenDocument spreadsheet (.ods)", "ods", _ods_extent
        else:
            raise ContentError("the roster is a zip archive, not a workbook", file=path,
                               hint="export the roster as CSV or as an .xlsx workbook")
        for info in archive.infolist():
            if info.file_size > limits.MAX_WORKBOOK_PART_BYTES:
                raise ContentError(f"the workbook's part {info.filename} unpacks to {info.file_size // 1024 // 1024} MB; "
                                   f"a part may be at most {limits.MAX_WORKBOOK_PART_BYTES // 1024 // 1024} MB", file=path,
                                   hint="export only the class's bookings")
        extent(path, archive)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, EOFError, OSError, ValueError) as exc:
        raise _broken(path) from exc
    return Table(_calamine_rows(path, data, fmt), kind)


def _broken(path: Path) -> ContentError:
    return ContentError("the workbook is damaged and cannot be read", file=path,
                        hint="open it in Excel or LibreOffice and save it again, or export the roster as CSV")


def _check_area(path: Path, rows: int, columns: int) -> None:
    if rows > limits.MAX_ROSTER_ROWS or columns > limits.MAX_ROSTER_COLUMNS or rows * columns > limits.MAX_WORKBOOK_CELLS:
        raise ContentError(
            f"the sheet's used area is {columns} columns by {rows} rows; a roster may have at most "
            f"{limits.MAX_ROSTER_COLUMNS} columns, {limits.MAX_ROSTER_ROWS} rows and {limits.MAX_WORKBOOK_CELLS} cells",
            file=path, hint="delete what lies outside the table (select the empty rows and columns and delete them), "
                            "or export the roster as CSV")


_ROW = re.compile(rb"<(?:\w+:)?row\b")
_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*)>")
_CELL_REF = re.compile(rb"\br=\"([A-Z]{1,4})(\d{1,9})\"")
_STRING_ITEM = re.compile(rb"<(?:\w+:)?si[\s>/]")


def _xlsx_extent(path: Path, archive: zipfile.ZipFile) -> None:
    """Refuse sheets whose cells lie far out (calamine allocates the whole area) and too many shared strings."""
    for name in archive.namelist():
        if name.startswith("xl/worksheets/") and name.endswith(".xml"):
            part = archive.read(name)
            rows, columns, unplaced = 0, 0, 0
            for attributes in _CELL.findall(part):
                if attributes.endswith(b"/"):
                    continue  # <c r="Z9" s="1"/>: a formatted cell with nothing in it
                ref = _CELL_REF.search(attributes)
                if ref:
                    columns = max(columns, _column_number(ref.group(1)))
                    rows = max(rows, int(ref.group(2)))
                else:
                    unplaced += 1
            if unplaced:  # cells that go by their position: at most one more column each, in any row
                rows, columns = max(rows, len(_ROW.findall(part))), columns + unplaced
            _check_area(path, rows, columns)
    if "xl/sharedStrings.xml" in archive.namelist():
        count = len(_STRING_ITEM.findall(archive.read("xl/sharedStrings.xml")))
        if count > limits.MAX_WORKBOOK_SHARED_STRINGS:
            raise ContentError(f"the workbook holds {count} different texts; a roster may hold at most "
                               f"{limits.MAX_WORKBOOK_SHARED_STRINGS}", file=path, hint="export only the class's bookings")


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _ods_extent(path: Path, archive: zipfile.ZipFile) -> None:
    """The area of cells with something in them (LibreOffice repeats empty cells and rows a million times)."""
    from xml.etree.ElementTree import iterparse

    table = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
    row, rows, columns, column, used = 0, 0, 0, 0, 0
    with archive.open("content.xml") as part:
        for event, element in iterparse(part, events=("start", "end")):
            tag = element.tag
            if tag == f"{table}table-row" and event == "start":
                column, used = 0, 0
            elif tag in (f"{table}table-cell", f"{table}covered-table-cell") and event == "end":
                repeat = int(element.get(f"{table}number-columns-repeated", "1"))
                if len(element) or element.attrib.keys() - {f"{table}number-columns-repeated", f"{table}style-name"}:
                    used = column + repeat
                column += repeat
                element.clear()
            elif tag == f"{table}table-row" and event == "end":
                repeat = int(element.get(f"{table}number-rows-repeated", "1"))
                if used:
                    rows, columns = row + repeat, max(columns, used)
                    _check_area(path, rows, columns)
                row += repeat
                element.clear()
            elif tag == f"{table}table" and event == "end":
                break  # the first sheet is the roster


def _xls_rows(path: Path, data: bytes) -> Rows:
    """An Excel 97-2003 sheet, with xlrd: its rows are kept as long as their cells (calamine would allocate
    the whole area up to the farthest cell, a gigabyte for one cell at IV65536), so the area is checked first."""
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, on_demand=True, ragged_rows=True, logfile=io.StringIO())
        sheet = book.sheet_by_index(0)
        _check_area(path, sheet.nrows, max((sheet.row_len(row) for row in range(sheet.nrows)), default=0))
        return [(number + 1, [_xls_text(book, cell) for cell in sheet.row(number)]) for number in range(sheet.nrows)]
    except ContentError:
        raise
    except Exception as exc:  # xlrd fails on a broken record with whatever it runs into (ZeroDivisionError...)
        raise _broken(path) from exc


def _xls_text(book, cell) -> str:
    import xlrd

    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return "yes" if cell.value else "no"
    if cell.ctype == xlrd.XL_CELL_DATE:
        return str(xlrd.xldate_as_datetime(cell.value, book.datemode))
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return ""
    return _cell_text(cell.value)


def _calamine_rows(path: Path, data: bytes, fmt: str) -> Rows:
    """The first sheet's rows as text, numbered as the spreadsheet numbers them."""
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = book.get_sheet_by_index(0)
        _check_area(path, sheet.total_height, sheet.total_width)
        rows: Rows = []
        for number, cells in enumerate(sheet.iter_rows(), start=1):  # calamine starts at row 1, used or not
            _check_size(path, number, cells)
            texts = [_cell_text(value) for value in cells]
            if any(len(text) > limits.MAX_ROSTER_CELL_CHARS for text in texts):
                raise ContentError(f"a cell holds more than {limits.MAX_ROSTER_CELL_CHARS} characters", file=path,
                                   line=number, hint="a roster cell holds a name, a code or a short note")
            rows.append((number, texts))
        return rows
    except (CalamineError, ValueError, IndexError, OSError) as exc:
        raise _broken(path) from exc
    except BaseException as exc:  # a panic in the Rust reader arrives as pyo3's PanicException (a BaseException)
        if type(exc).__name__ == "PanicException":
            raise _broken(path) from exc
        raise


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
