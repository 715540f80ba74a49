"""Time a single handout: cold CLI start, --help, and the warm render.

Run: python bench/bench_build.py [--runs N]

Prints each figure with the command that produced it. Cold figures are the
median of N fresh processes; the warm figure is the median time of one
render in a process that has already rendered once (fonts parsed, templates
compiled), which is what a batch or `watch` pays per handout.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def cold(args: list[str], runs: int) -> float:
    times = []
    with tempfile.TemporaryDirectory() as out:
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "handouts", *args, *(["--out", out] if args[:1] == ["build"] else [])],
                           check=True, capture_output=True, cwd=ROOT)
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def warm(runs: int) -> tuple[float, int]:
    from handouts.build import prepare, render_pdf
    from handouts.content.models import Personal
    from handouts.project import Project

    job = prepare(Project(root=ROOT))
    personal = Personal(client="Ana García", note="Rest 10 minutes", date=dt.date(2026, 12, 1))
    render_pdf(job, personal)  # first render: parse fonts, compile templates
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        rendered = render_pdf(job, personal)
        times.append(time.perf_counter() - start)
    return statistics.median(times), len(rendered.pdf)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    runs = parser.parse_args().runs
    print(f"# python bench/bench_build.py --runs {runs}   ({os.cpu_count()} cores, Python {sys.version.split()[0]})")
    print(f"cold `handouts build`        {cold(['build'], runs) * 1000:7.0f} ms  (median of {runs} processes)")
    print(f"cold `handouts --help`       {cold(['--help'], runs) * 1000:7.0f} ms  (median of {runs} processes)")
    seconds, size = warm(runs * 3)
    print(f"warm render, one handout     {seconds * 1000:7.1f} ms  (median of {runs * 3}; {size / 1024:.0f} KiB PDF)")


if __name__ == "__main__":
    main()
