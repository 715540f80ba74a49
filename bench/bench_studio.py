"""Time what a studio folder adds: the QR code, a watch rebuild, init.

Run: python bench/bench_studio.py [--runs N]

Prints each figure with the command that produced it (medians of N):
- the QR code: drawing it (ReportLab's widget, what every document would pay
  without the cache) against handing out the cached drawing;
- a warm render of the default handout (it prints the website as a QR code)
  with the cache, and with the cache emptied before each render;
- one `watch` rebuild in a warm process: build, write the PDF, render page 1
  to PNG and write it;
- `init` of a new studio folder (in-process).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
URL = "https://harbourlight.example"


def median_ms(action, runs: int, before=None) -> float:
    times = []
    for _ in range(runs):
        if before:
            before()
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    from handouts.build import prepare, render_pdf
    from handouts.layout import branding
    from handouts.project import Project
    from handouts.studio_init import init_studio
    from handouts.watch import Target, rebuild

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    runs = parser.parse_args().runs
    print(f"# python bench/bench_studio.py --runs {runs}   ({os.cpu_count()} cores, Python {sys.version.split()[0]})")

    branding.qr_drawing(URL, 48)  # imports
    drawn = median_ms(lambda: branding.qr_drawing(URL, 48), runs, before=branding.qr_drawing.cache_clear)
    cached = median_ms(lambda: branding.qr_drawing(URL, 48), runs)
    print(f"QR code, drawn               {drawn:7.2f} ms")
    print(f"QR code, cached              {cached:7.4f} ms")

    job = prepare(Project(root=ROOT))
    render_pdf(job)  # fonts parsed, templates compiled
    warm = median_ms(lambda: render_pdf(job), runs)
    uncached = median_ms(lambda: render_pdf(job), runs, before=branding.qr_drawing.cache_clear)
    print(f"warm render, QR cached       {warm:7.1f} ms")
    print(f"warm render, QR redrawn      {uncached:7.1f} ms")

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "studio"
        init_studio(folder, name="Harbour Light")
        target = Target(Project(root=folder), "constructive-rest")
        rebuild(target)
        print(f"watch rebuild (PDF + PNG)    {median_ms(lambda: rebuild(target), runs):7.1f} ms")
        count = iter(range(runs))
        made = median_ms(lambda: init_studio(Path(tmp) / f"new-{next(count)}", name="New"), runs)
        print(f"init a studio folder         {made:7.1f} ms")


if __name__ == "__main__":
    main()
