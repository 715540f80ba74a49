"""What the glyph check adds to a build: coverage sets, the check, the fallback filter.

Run: python bench/bench_glyphs.py [--runs N]

Prints the median of N runs for each step, in milliseconds, for the bundled
Constructive Rest (every printed text of content, studio and labels).
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def median_ms(step, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    runs = parser.parse_args().runs

    from handouts import build
    from handouts.layout import fonts, glyphs
    from handouts.project import Project

    font_set = fonts.default_fonts()
    coverage = median_ms(lambda: (glyphs.for_fonts.cache_clear(), fonts.coverage.cache_clear(),
                                  glyphs.for_fonts(font_set)), runs)
    job = build.prepare(Project(root=ROOT))
    cover = glyphs.for_fonts(font_set)
    check = median_ms(lambda: glyphs.check_inputs(cover, job.content, job.content_file, job.studio,
                                                  job.studio_file, job.labels), runs)
    latin, cyrillic = "Rest your hands on your belly. " * 25, "Дышите спокойно и медленно. " * 25
    print(f"python bench/bench_glyphs.py --runs {runs}")
    print(f"coverage sets of 5 fonts, from the disk cache: {coverage:.2f} ms")
    print(f"check every printed text of the default handout: {check:.2f} ms")
    print(f"fallback filter, 750 chars of Latin: {median_ms(lambda: cover.text_filter(latin), runs):.3f} ms")
    print(f"fallback filter, 700 chars of Cyrillic: {median_ms(lambda: cover.text_filter(cyrillic), runs):.3f} ms")


if __name__ == "__main__":
    main()
