"""What fitting costs: a fixed layout that steps down against one that fits at once, and refusals.

Run: python bench/bench_fit.py [--runs N]

Warm renders (fonts parsed, templates compiled) of the test handout in
tests/data/fit, fully branded, on each fixed layout: it does not fit their
roomiest setting, so the fitting step steps down. "one render" is what a
handout that fits at once costs: a single render at the setting (here, the
one these inputs fitted at before, as on any repeated build); "searching" is
the whole search, as on a machine's first build of these inputs, with no
setting remembered. The ratio is searching against one render, medians of N
runs (the target is 3x at most). Then the time to refuse content no layout
can hold: the largest content file a studio may write (1 MB of texts at their
longest), and a safety list far too long for a card.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from unittest import mock

from handouts import cache, limits
from handouts.build import prepare, render_pdf
from handouts.errors import LayoutOverflowError
from handouts.project import Project

ROOT = Path(__file__).resolve().parent.parent
FIT = ROOT / "tests" / "data" / "fit"
KNEE = FIT / "content" / "knee-folds.en.yaml"


def _median(function, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _forgetting():
    """The on-disk cache without its remembered settings (the fitting step searches every time)."""
    load = cache.load
    return mock.patch.object(cache, "load", lambda kind, name: None if kind == "fit" else load(kind, name))


def fixed_layouts(runs: int) -> None:
    project = Project(root=FIT / "branded")
    print(f"{'template':<10} {'paper':<7} {'setting':>7} {'one render':>11} {'searching':>10} {'ratio':>6}")
    for template in ("trifold", "cue-card"):
        for paper in ("letter", "a4"):
            job = prepare(project, KNEE, template=template, paper=paper)
            with _forgetting():
                level = render_pdf(job).level
                search = _median(lambda: render_pdf(job), runs)
            render_pdf(job)  # remember the setting: from now on one render at it
            once = _median(lambda: render_pdf(job), runs)
            print(f"{template:<10} {paper:<7} {level:>4}/{len(job.template.info.fit) - 1} {once * 1000:8.0f} ms "
                  f"{search * 1000:7.0f} ms {search / once:5.1f}x")


def refusals(runs: int) -> None:
    project = Project(root=FIT / "plain")
    job = prepare(project, KNEE, template="classic")
    # The most text a content file may hold (limits.py): a 1 MB file of texts at their longest.
    sentence = "Rest on the mat and let your breath slow down. "
    longest = (sentence * (limits.MAX_TEXT_CHARS // len(sentence)))[:limits.MAX_TEXT_CHARS].strip()
    data = job.content.model_dump(mode="json", exclude_none=True)
    data["summary"] = longest
    data["sections"][0]["steps"] = [longest] * (limits.MAX_SETTINGS_BYTES // limits.MAX_TEXT_CHARS - 2)
    huge = job.__class__(**{**job.__dict__, "content": type(job.content).model_validate(data)})
    long_safety = prepare(project, KNEE, template="cue-card")
    long_safety = long_safety.__class__(**{**long_safety.__dict__, "content": long_safety.content.model_copy(
        update={"safety": long_safety.content.safety * 12})})
    size = len(huge.content.summary) + sum(map(len, huge.content.sections[0].steps))
    for name, case in ((f"{size // 1000} kB of text (the largest content file), classic", huge),
                       (f"{len(long_safety.content.safety)} safety lines, cue-card", long_safety)):
        def refuse():
            try:
                render_pdf(case)
            except LayoutOverflowError as error:
                return str(error.problems[0])
            raise SystemExit(f"{name}: was not refused")

        with _forgetting():
            seconds = _median(refuse, max(1, runs // 3))
            message = refuse()
        print(f"refusing {name}: {seconds:.2f} s\n  {message[:200]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    runs = parser.parse_args().runs
    print(f"# python bench/bench_fit.py --runs {runs}   ({os.cpu_count()} cores, Python {sys.version.split()[0]}; "
          "medians of warm renders)")
    fixed_layouts(runs)
    refusals(runs)


if __name__ == "__main__":
    main()
