"""Time the content checks: `handouts check`, and what they add to a cold build.

Run: python bench/bench_check.py [--runs N]

The reading grade loads the CMU Pronouncing Dictionary (about 0.8 s) the
first time a text is measured; results are cached by text in the user's cache
folder, so the figures are given twice: with an empty cache (XDG_CACHE_HOME
pointed at a new folder for every process: a first run after installing,
compiled templates cold too) and with the cache filled (every run after).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def cold(args: list[str], runs: int, empty_cache: bool) -> float:
    times = []
    with tempfile.TemporaryDirectory() as out, tempfile.TemporaryDirectory() as shared_tmp:
        for run in range(runs + 1):
            tmp = tempfile.mkdtemp(dir=out) if empty_cache else shared_tmp
            env = {**os.environ, "XDG_CACHE_HOME": tmp}
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "handouts", "--project", str(ROOT), *args,
                            *(["--out", out] if args[0] == "build" else [])],
                           check=True, capture_output=True, env=env)
            if run:  # the first run only fills the shared cache
                times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    print(f"# python bench/bench_check.py --runs {runs}   ({os.cpu_count()} cores, Python {sys.version.split()[0]})")
    for args in (["check"], ["build"], ["build", "--lang", "es"]):
        for empty in (True, False):
            label = f"cold `handouts {' '.join(args)}`, {'empty' if empty else 'filled'} cache"
            print(f"{label:48} {cold(args, runs, empty) * 1000:7.0f} ms  (median of {runs} processes)")


if __name__ == "__main__":
    main()
