"""What the tests of `handouts serve` share: a studio folder of our own, rosters as booking software
exports them, and the page's form token."""

from __future__ import annotations

import csv
import io
import re
import shutil
from pathlib import Path

from conftest import ROOT

FIT = ROOT / "tests" / "data" / "fit"
#: Clients of a class, with the accents and lengths real rosters have.
NAMES = [("Zoë", "Łukasz"), ("Ana", "García Fernández"), ("Mei", "Chen"), ("José Luis", "Núñez"),
         ("Siobhán", "Ó Briain"), ("Björn", "Ångström"), ("Marie-Thérèse", "Lefèvre-Dubois"), ("Nguyễn", "Thị Hoa")]
NOTES = ["Keep your neck long and your chin soft", "A folded towel under your head",
         "Lift less on the left side this week", ""]
EXPORT_HEADER = ["Client ID", "First Name", "Last Name", "Email", "Phone", "Booking Status", "Language", "Notes"]


def make_studio(folder: Path) -> Path:
    """A fully branded studio (logo, long name, every contact field) with content of its own: the knee folds
    (English and Spanish, which fit every layout) and ``long-folds``, whose safety list no fixed layout holds."""
    shutil.copytree(FIT / "branded", folder)
    shutil.copytree(FIT / "content", folder / "content")
    text = (FIT / "content" / "knee-folds.en.yaml").read_text(encoding="utf-8").replace("id: knee-folds",
                                                                                        "id: long-folds")
    extra = "".join(f'  - "Stop and rest on your side if lift {n} makes your back ache, your leg shake or your '
                    'breath catch; try again tomorrow with a smaller lift, or ask your teacher to watch you."\n'
                    for n in range(1, 13))
    (folder / "content" / "long-folds.en.yaml").write_text(text.replace("sidebar:\n", extra + "sidebar:\n", 1),
                                                          encoding="utf-8")
    return folder


def export_roster(count: int, *, cancelled: tuple[int, ...] = (), languages: dict[int, str] | None = None) -> bytes:
    """A class as booking software exports it (UTF-8 with a byte-order mark, its own column names), ``count``
    clients who print, plus a 'Late Cancel' for each index in ``cancelled``."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_HEADER)
    languages = languages or {}
    total = count + len(cancelled)
    for index in range(total):
        first, last = NAMES[index % len(NAMES)]
        last = f"{last} {index // len(NAMES) + 1}" if index >= len(NAMES) else last
        status = "Late Cancel" if index in cancelled else "Booked"
        writer.writerow([f"C{1000 + index}", first, last, f"client{index}@example.org", "+44 1632 960 000",
                         status, languages.get(index, "Spanish" if index % 5 == 1 else ""), NOTES[index % len(NOTES)]])
    return buffer.getvalue().encode("utf-8-sig")


def form_token(html: str) -> str:
    """The CSRF token the page put in its forms."""
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def files_in(folder: Path) -> list[Path]:
    """Every file below ``folder`` (none when it does not exist)."""
    return sorted(path for path in folder.rglob("*") if path.is_file()) if folder.exists() else []


def pdfs_in(folder: Path) -> list[Path]:
    return [path for path in files_in(folder) if path.suffix == ".pdf"]
