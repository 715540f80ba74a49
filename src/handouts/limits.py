"""How big an input may be, checked before it is parsed in full.

Each limit is far beyond any real file of its kind and far below what would
exhaust a laptop; an input over one is refused with one line naming the
limit. The README's Errors section lists them.
"""

from __future__ import annotations

#: A roster file (CSV or workbook) in bytes: 5000 clients with long notes take about 2 MB.
ROSTER_BYTES = 16 * 1024 * 1024
#: Rows of a roster, the header included: a class, or a whole studio's week, is far fewer.
ROSTER_ROWS = 20_000
#: Cells in one row: booking exports carry 10 to 60 columns.
ROSTER_COLUMNS = 256
#: Characters in one cell: a note of a page; longer is a pasted document.
ROSTER_CELL_CHARS = 10_000
#: Cells in a sheet's used area (rows x columns), which a workbook reader allocates in full.
WORKBOOK_CELLS = 2_000_000
#: Bytes of one part of a workbook once unzipped (a sheet, the shared strings).
WORKBOOK_PART_BYTES = 64 * 1024 * 1024
#: Shared strings in a workbook: every distinct text of every sheet, each stored once.
WORKBOOK_SHARED_STRINGS = 200_000
#: Our own record files in an output folder (what each file was made from).
MANIFEST_BYTES = 32 * 1024 * 1024
