"""What the tests of `handouts serve` share: a studio folder of our own, rosters as booking software
exports them, and the page's form token."""

from __future__ import annotations

import csv
import io
import re
import shutil
import threading
import time
from contextlib import contextmanager
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


#: The system's Chromium (Debian's package; `.ci/run` installs it), never a browser Playwright downloads.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@contextmanager
def serving(project):
    """The page for ``project``, served by uvicorn on a free loopback port in a thread; yields its address."""
    from handouts.web.server import listen

    running = listen(project, "127.0.0.1", 0)
    server = running.server()
    thread = threading.Thread(target=server.run, kwargs={"sockets": [running.sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 60
        while not server.started and time.monotonic() < deadline:
            thread.join(0.02)
        yield running.url
    finally:
        server.should_exit = True
        thread.join(60)
        running.sock.close()


@contextmanager
def chromium(profile: Path, **options):
    """The system Chromium, headless, with a fresh profile in ``profile``; yields its browser context."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS, accept_downloads=True,
            **{"viewport": {"width": 1400, "height": 1000}, **options})
        try:
            yield context
        finally:
            context.close()


def preview_settled(page, timeout: float = 60) -> None:
    """Wait until the picture on screen was made from the newest input (the page's own data-version hooks)."""
    deadline = time.monotonic() + timeout
    check = "() => document.querySelector('#preview').dataset.version === " \
            "(document.querySelector('#handout').dataset.version || '0')"
    while not page.evaluate(check):
        if time.monotonic() > deadline:
            raise AssertionError("the preview never caught up with the form")
        page.wait_for_timeout(10)


def drop_file(page, selector: str, name: str, data: bytes) -> None:
    """Drop a file on the page, as a person drags one from their desktop."""
    transfer = page.evaluate_handle(
        "([name, bytes]) => { const t = new DataTransfer(); "
        "t.items.add(new File([new Uint8Array(bytes)], name, {type: 'text/csv'})); return t; }", [name, list(data)])
    page.dispatch_event(selector, "drop", {"dataTransfer": transfer})
