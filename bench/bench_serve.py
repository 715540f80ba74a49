"""How quick `handouts serve` feels: python bench/bench_serve.py [--words 40] [--classes 7] [--delay 150]

1. **Typing**: in a warm server, a person types a client's name into the handout form at ``--delay``
   ms a key (150 ms is about 80 words a minute); the time from the last keystroke to the frame that
   shows the new page 1 is measured in the page itself (``performance.now`` at the key, and at the
   first animation frame after the picture made from that input has loaded), over ``--words`` names.
2. **A class**: a 30-client roster (a studio export) dropped on the page; the time from the click on
   "Build" to the class pack offered on the page, against the whole `handouts batch` command on the
   same roster (a new process, as a person runs it), each into a new class folder, ``--classes`` runs
   each, caches warm for both.

The system Chromium (/usr/bin/chromium) drives the page, as the browser tests do; the server runs in
this process on a loopback port. Prints the figures and the command that produced them.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from handouts.project import Project  # noqa: E402

from servedesk import chromium, drop_file, export_roster, make_studio, preview_settled, serving  # noqa: E402

#: Counts, in the page, when each input was typed and when the picture made from it was on screen.
MARKS = """() => {
  const form = document.querySelector('#handout'), picture = document.querySelector('#preview');
  window.typedAt = {}; window.shownAt = {}; let key = 0;
  document.addEventListener('keydown', () => { key = performance.now(); }, true);
  form.addEventListener('input', () => { window.typedAt[form.dataset.version] = key; });
  new MutationObserver(() => {
    const version = picture.dataset.version;
    requestAnimationFrame(() => { window.shownAt[version] = performance.now(); });
  }).observe(picture, {attributes: true, attributeFilter: ['data-version']});
}"""
NAMES = ["Zoë Łukasz", "Ana García Fernández", "Mei Chen", "José Luis Núñez", "Siobhán Ó Briain",
         "Björn Ångström", "Marie-Thérèse Lefèvre", "Nguyễn Thị Hoa"]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def typing(page, url: str, words: int, delay: int, template: str) -> list[float]:
    """Milliseconds from the last key of each name to its page 1 on screen."""
    page.goto(url)
    page.select_option("#content", "knee-folds.en")
    page.wait_for_selector(f"label.card:has(input[value={template}]) img")
    page.click(f"label.card:has(input[value={template}])")
    preview_settled(page)
    page.type("#client", "Warm up", delay=delay)  # fonts, templates and the fitting step warm
    preview_settled(page)
    page.evaluate(MARKS)
    latencies = []
    for index in range(words):
        page.fill("#client", "")
        preview_settled(page)
        page.type("#client", f"{NAMES[index % len(NAMES)]} {index}", delay=delay)
        preview_settled(page)
        last = page.evaluate("() => document.querySelector('#handout').dataset.version")
        while page.evaluate(f"() => window.shownAt['{last}'] === undefined"):
            page.wait_for_timeout(5)  # the frame that shows it is drawn next
        latencies.append(page.evaluate(f"() => window.shownAt['{last}'] - window.typedAt['{last}']"))
    return latencies


def web_class(page, url: str, roster: bytes, name: str) -> float:
    """Seconds from the click on Build to the class pack offered on the page."""
    page.goto(url + "class")
    drop_file(page, "#drop", "tuesday.csv", roster)
    page.wait_for_selector("#roster-read")
    page.select_option("#build #content", "knee-folds.en")
    page.fill("#build #class_name", name)
    start = time.perf_counter()
    page.click("#build button.main")
    page.wait_for_selector("#pack")
    return time.perf_counter() - start


def cli_class(studio: Path, roster: Path, name: str) -> float:
    """Seconds of the whole `handouts batch` command, in a new process."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "handouts", "batch", str(roster), "knee-folds", "--class-name", name,
                    "--project", str(studio), "-q"], check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=40, help="names typed (the typing figures)")
    parser.add_argument("--delay", type=int, default=150, help="milliseconds between keys")
    parser.add_argument("--template", default="trifold", help="the layout chosen while typing")
    parser.add_argument("--classes", type=int, default=7, help="classes built each way")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    studio = make_studio(work / "studio")
    roster = work / "tuesday.csv"
    roster.write_bytes(export_roster(30, cancelled=(3, 17)))
    with serving(Project.discover(studio)) as url, chromium(work / "profile") as context:
        page = context.new_page()
        latencies = typing(page, url, args.words, args.delay, args.template)
        web_class(page, url, roster.read_bytes(), "warm up")
        cli_class(studio, roster, "warm up cli")
        web, cli = [], []
        for run in range(args.classes):
            web.append(web_class(page, url, roster.read_bytes(), f"web {run}"))
            cli.append(cli_class(studio, roster, f"cli {run}"))
    command = " ".join(["python", "bench/bench_serve.py", *sys.argv[1:]])
    print(f"$ {command}")
    print(f"typing at {args.delay} ms a key, {args.template}, {args.words} names: last key to new page 1 on screen")
    print(f"  median {statistics.median(latencies):.0f} ms, 95th percentile {percentile(latencies, 0.95):.0f} ms, "
          f"max {max(latencies):.0f} ms (target: 95th percentile under 250 ms)")
    ratio = statistics.median(web) / statistics.median(cli)
    print(f"a class of 30 (2 left out), {args.classes} runs each, new class folder each run:")
    print(f"  page, Build to pack offered: median {statistics.median(web):.2f} s (min {min(web):.2f}, "
          f"max {max(web):.2f})")
    print(f"  handouts batch, whole command: median {statistics.median(cli):.2f} s (min {min(cli):.2f}, "
          f"max {max(cli):.2f})")
    print(f"  page / command: {ratio:.2f} (target: at most 1.5)")


if __name__ == "__main__":
    main()
