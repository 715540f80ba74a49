"""Time batch builds: the stamped shared-layer path beside one full render per client.

Run: python bench/bench_batch.py [--sizes 1 30 300 1000 5000] [--jobs N] [--plain-max N]

For each class size (a generated roster: accented names, notes of several
lengths), each path runs in a fresh process so its peak memory is its own:

- stamped: ``handouts.batch.run.build_batch`` (shared pages rendered once, a
  stamp per client, the class pack from shared form XObjects);
- plain: ``build.render_pdf`` for every client in the same number of worker
  processes, the class pack by appending the handouts (each with its fonts).

It prints handouts per second, CPU seconds (all processes) and CPU per
client (the whole run's, and the added clients' since the size before),
peak memory (ru_maxrss of the process and of its workers), a client's file
beside the same handout from ``handouts build``, and the class pack's size
beside one handout's. Then the wall time of the whole ``handouts batch``
command in a new process: with an empty cache and output folder, into a new
folder with the shared pages cached (a new roster for the same handout), and
with every file up to date.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATE = dt.date(2026, 12, 1)
CLASS = "Tuesday 6 pm Mat"
FIRST = ["Ana", "Zoë", "Mei", "José", "Ingrid", "Siobhán", "Kwame", "Priya", "Björn", "Chloé", "Dmitri", "Fatima"]
LAST = ["García", "Łukasz", "Chen", "O'Neill", "Müller", "Nakamura", "Okafor", "Sørensen", "Dubois", "Kowalski"]
NOTES = ["A folded towel under your head", "Rest ten minutes after class", "",
         "Knees together if your back aches", "Breathe out slowly"]


def write_roster(path: Path, size: int) -> Path:
    """A studio export's columns, the same clients for the same size."""
    pick = random.Random(size)
    with path.open("w", newline="", encoding="utf-8") as handle:
        rows = csv.writer(handle)
        rows.writerow(["First Name", "Last Name", "Email", "Notes", "Booking Status"])
        for number in range(size):
            rows.writerow([pick.choice(FIRST), pick.choice(LAST), f"client{number}@example.org",
                           pick.choice(NOTES), "Booked"])
    return path


def peak_mb() -> float:
    """The largest resident set of this process or any worker it waited for."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, workers) / 1024


def cpu_seconds() -> float:
    used = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    return sum(usage.ru_utime + usage.ru_stime for usage in used)


def stamped(roster: Path, out: Path, jobs: int) -> Path:
    from handouts.batch.run import build_batch
    from handouts.project import Project

    report = build_batch(roster, project=Project(root=ROOT), out_dir=out, date=DATE, class_name=CLASS,
                         jobs=jobs, force=True)
    assert report.ok and report.pack, report.failed
    return report.pack


def _plain_chunk(start: int, clients: list[tuple[str, str | None]], out: Path) -> list[Path]:
    from handouts.build import prepare, render_pdf
    from handouts.content.models import Personal
    from handouts.output import name_for, write_atomic
    from handouts.project import Project

    job = prepare(Project(root=ROOT))
    written = []
    for number, (name, note) in enumerate(clients, start):
        rendered = render_pdf(job, Personal(client=name, note=note or None, date=DATE, class_name=CLASS))
        written.append(write_atomic(out, f"{number:05d}-" + name_for(job, name), rendered.pdf))
    return written


def plain(roster: Path, out: Path, jobs: int) -> Path:
    """One full render per client, in ``jobs`` processes; the pack appends the files."""
    import pikepdf

    from handouts.batch.roster import read_roster

    clients = [(client.name, client.note) for client in read_roster(roster).clients]
    size = -(-len(clients) // jobs)
    with ProcessPoolExecutor(jobs) as pool:
        starts = range(0, len(clients), size)
        chunks = pool.map(_plain_chunk, starts, [clients[i:i + size] for i in starts], [out] * len(starts))
        files = [path for chunk in chunks for path in chunk]
    pack = pikepdf.new()
    with pack.open_outline() as outline:
        for path, (name, _) in zip(sorted(files), clients):
            outline.root.append(pikepdf.OutlineItem(name, len(pack.pages)))
            with pikepdf.open(path) as handout:
                pack.pages.extend(handout.pages)
    pack.save(out / "class-pack.pdf", deterministic_id=True)
    return out / "class-pack.pdf"


def child(path: str, size: int, jobs: int) -> None:
    """One measurement in this fresh process (modules imported first); prints a JSON line."""
    import handouts.batch.run  # noqa: F401
    import handouts.build  # noqa: F401

    with tempfile.TemporaryDirectory() as folder:
        roster = write_roster(Path(folder) / "roster.csv", size)
        out = Path(folder) / "out"
        start, cpu = time.perf_counter(), cpu_seconds()
        pack = (stamped if path == "stamped" else plain)(roster, out, jobs)
        seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu
        files = sorted(p for p in out.glob("*.pdf") if p != pack)
        print(json.dumps({"seconds": seconds, "cpu": cpu, "peak_mb": peak_mb(), "pack": pack.stat().st_size,
                          "handout": files[0].stat().st_size, "files": len(files)}))


def measure(path: str, size: int, jobs: int) -> dict:
    result = subprocess.run([sys.executable, __file__, "--child", path, str(size), str(jobs)],
                            check=True, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    return json.loads(result.stdout.splitlines()[-1])


def whole_command(size: int, jobs: int) -> list[tuple[float, float]]:
    """(wall, CPU) seconds of `handouts batch` in a new process: with an empty cache and output
    folder, into a new folder once the shared pages are cached, and again with all up to date."""
    with tempfile.TemporaryDirectory() as folder:
        roster = write_roster(Path(folder) / f"class-{size}.csv", size)
        (Path(folder) / "tmp").mkdir()
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "XDG_CACHE_HOME": str(Path(folder) / "tmp")}
        times = []
        for out in ("first", "second", "second"):
            cpu = cpu_seconds()
            command = [sys.executable, "-m", "handouts", "--project", str(ROOT), "--quiet", "batch", str(roster),
                       "--date", DATE.isoformat(), "--class-name", CLASS, "--out", str(Path(folder) / out),
                       "--jobs", str(jobs)]
            start = time.perf_counter()
            subprocess.run(command, check=True, cwd=folder, env=env)
            times.append((time.perf_counter() - start, cpu_seconds() - cpu))
        return times


def single_handout_size() -> int:
    """A personalised handout from `handouts build`, the unit the pack is compared with."""
    with tempfile.TemporaryDirectory() as folder:
        sys.path.insert(0, str(ROOT / "src"))
        from handouts.build import build_handout
        from handouts.project import Project

        built = build_handout(project=Project(root=ROOT), out_dir=Path(folder), client="Ana García",
                              note=NOTES[0], date=DATE)
        return built.path.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1, 30, 300, 1000, 5000],
                        help="class sizes for the library runs (none: only the whole command)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--plain-max", type=int, default=1000, help="largest class for the plain path")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], int(args.child[1]), int(args.child[2]))
        return
    load = os.getloadavg()[0]
    print(f"# python bench/bench_batch.py --jobs {args.jobs}   ({os.cpu_count()} cores, Python "
          f"{sys.version.split()[0]}, load average {load:.2f} at start)")
    one = single_handout_size()
    print(f"one personalised handout from `handouts build`: {one / 1024:.0f} KiB")
    print(f"{'clients':>7}  {'path':8} {'seconds':>8} {'handouts/s':>10} {'cpu s':>7} {'cpu ms/client':>13} "
          f"{'added ms/client':>15} {'peak MB':>8} {'file KiB':>8} {'file/one':>8} {'pack KiB':>9} {'pack/one':>8}")
    before: dict[str, tuple[int, float]] = {}
    for size in args.sizes:
        for path in ("stamped", "plain"):
            if path == "plain" and size > args.plain_max:
                continue
            r = measure(path, size, args.jobs)
            last_size, last_cpu = before.get(path, (0, 0.0))
            added = 1000 * (r["cpu"] - last_cpu) / (size - last_size) if last_size else float("nan")
            before[path] = (size, r["cpu"])
            print(f"{size:>7}  {path:8} {r['seconds']:8.2f} {size / r['seconds']:10.0f} {r['cpu']:7.2f} "
                  f"{1000 * r['cpu'] / size:13.2f} {added:15.2f} {r['peak_mb']:8.0f} {r['handout'] / 1024:8.0f} "
                  f"{r['handout'] / one:8.2f} {r['pack'] / 1024:9.0f} {r['pack'] / one:8.2f}", flush=True)
    print("whole `handouts batch` command (new process), seconds wall (CPU of all its processes):")
    print("  clients | empty cache and folder | shared pages cached, new folder | all up to date")
    for size in (30, 1000):
        runs = " | ".join(f"{wall:5.2f} ({cpu:5.2f})" for wall, cpu in whole_command(size, args.jobs))
        print(f"  {size:>7} | {runs}", flush=True)


if __name__ == "__main__":
    main()
