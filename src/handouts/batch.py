"""The batch API: a class roster in, one handout per client and a class pack out.

``build_batch`` reads as its steps: read the roster; prepare each layout the
class needs (content x template x language) and give every client a file
name of their own; skip what is up to date; render each layout's shared
pages once; stamp the clients in chunks, in worker processes (ReportLab
keeps global state, so processes, not threads); then put the class pack
together. A row that cannot be printed is reported with its row number and
the others are still built. It prints nothing: progress goes to a callback
and the result is a :class:`BatchReport`.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from pathlib import Path

from pydantic import ValidationError

from handouts import build, fonts, glyphs, manifest
from handouts.errors import HandoutError, OutputError, Problem
from handouts.labels import format_date
from handouts.models import Personal
from handouts.output import output_name, settle, write_atomic
from handouts.project import Project
from handouts.roster import Client, LeftOut, RowProblem, read_roster
from handouts.stamp import (
    Layer, PackInfo, PackItem, StampSheet, Stamper, class_pack, primer, shared_layer, stamped_handout,
)

PACK_NAME = "class-pack.pdf"
LARGE_PRINT = "large-print"
#: Clients per stamp sheet. Fixed (not derived from --jobs) so the pack's bytes never depend on it.
CHUNK = 100

Progress = Callable[[int, int], None]


@dataclass
class BatchReport:
    """What a batch did: every client is in exactly one of built, up_to_date, left_out, failed."""

    roster: Path
    out_dir: Path
    built: list[Path] = field(default_factory=list)
    up_to_date: list[Path] = field(default_factory=list)
    left_out: list[LeftOut] = field(default_factory=list)
    failed: list[RowProblem] = field(default_factory=list)
    pack: Path | None = None
    pack_built: bool = False

    @property
    def ok(self) -> bool:
        return not self.failed


@dataclass(frozen=True)
class Entry:
    """One client's handout, planned: which layer, which file, and whether to write it."""

    index: int
    client: Client
    layer: tuple
    name: str
    personal: Personal
    digest: str
    write: bool


@dataclass(frozen=True)
class Task:
    """A chunk of the class in roster order: stamp each entry, write those marked, fill a sheet."""

    number: int
    entries: tuple[Entry, ...]
    sheet: bool
    out_dir: Path


@dataclass
class ChunkResult:
    number: int
    sheet: bytes | None = None
    placed: list[tuple[int, int]] = field(default_factory=list)  # (entry index, sheet page)
    written: list[int] = field(default_factory=list)
    failed: list[tuple[int, Problem]] = field(default_factory=list)


def build_batch(
    roster: Path,
    *,
    content: str | Path = build.DEFAULT_CONTENT,
    template: str | None = None,
    class_name: str | None = None,
    date: dt.date | None = None,
    out_dir: Path | None = None,
    jobs: int | None = None,
    force: bool = False,
    project: Project | None = None,
    progress: Progress | None = None,
) -> BatchReport:
    """Build a handout for each client of ``roster`` and the class pack, into ``out_dir``."""
    project = project or Project.discover()
    out_dir = Path(out_dir or project.default_out_dir())
    read = read_roster(Path(roster))
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot write to {out_dir}: {exc.strerror}",
                          hint="pass --out DIR with a folder you may write to") from None
    report = BatchReport(read.file, out_dir, left_out=read.left_out)
    report.failed += read.problems
    plan = _Plan(project, content, template, class_name or None, date or build.today(), read.file)
    last = manifest.load(out_dir)
    entries = [_mark(entry, last, out_dir, force) for entry in plan.entries(read.clients, report)]
    pack_digest = manifest.digest("pack", [(entry.name, entry.digest) for entry in entries])
    want_pack = bool(entries) and (force or last.pack != pack_digest or not (out_dir / PACK_NAME).is_file())
    layers = plan.layers({entry.layer for entry in entries if entry.write or want_pack}, entries, report)
    usable = [entry for entry in entries if entry.layer in layers or not (entry.write or want_pack)]
    tasks = _tasks(usable, want_pack, out_dir)
    _forget(out_dir, last, tasks)
    results = _run(tasks, layers, plan.font_set, jobs, progress)
    if tasks:
        settle(out_dir)
    by_index = {entry.index: entry for entry in usable}
    failed = _collect(report, results, by_index, plan)
    if want_pack:
        report.pack = _write_pack(results, by_index, layers, plan, out_dir)
        report.pack_built = report.pack is not None
    elif entries:
        report.pack = out_dir / PACK_NAME
    clean = not failed and len(usable) == len(entries)
    done = {e.name: e.digest for e in usable if e.index not in failed}
    if done or last.files:
        manifest.save(out_dir, manifest.Manifest(done, pack_digest if report.pack and clean else None))
    report.failed.sort(key=lambda failure: failure.row)
    return report


def _forget(out_dir: Path, last: manifest.Manifest, tasks: list[Task]) -> None:
    """Until the files about to be rewritten are on disk, the manifest vouches for none of them."""
    rewritten = {entry.name for task in tasks for entry in task.entries if entry.write}
    if rewritten & last.files.keys():
        manifest.save(out_dir, manifest.Manifest({k: v for k, v in last.files.items() if k not in rewritten}))


def _collect(report: BatchReport, results: list[ChunkResult], by_index: dict, plan: "_Plan") -> set[int]:
    """Put what the chunks did in the report; return the entries that failed."""
    failed = {index for result in results for index, _ in result.failed}
    for result in results:
        report.failed += [plan.failure(by_index[i].client, problem) for i, problem in result.failed]
        report.built += [report.out_dir / by_index[i].name for i in result.written]
    report.up_to_date = [report.out_dir / e.name for e in by_index.values() if not e.write and e.index not in failed]
    return failed


def _write_pack(results: list[ChunkResult], by_index: dict, layers: dict, plan: "_Plan", out_dir: Path) -> Path | None:
    """The class pack from the chunks' stamp sheets (None when no one got a handout)."""
    keys = list(layers)
    items, sheets = [], []
    for result in results:
        if not result.sheet:
            continue
        for index, page in result.placed:
            entry = by_index[index]
            items.append(PackItem(keys.index(entry.layer), entry.client.name, len(sheets), page))
        sheets.append(result.sheet)
    if not items:
        return None
    first = layers[keys[items[0].layer]]
    title = " – ".join(part for part in (first.title, plan.class_name, format_date(plan.date, first.box.labels)) if part)
    pdf = class_pack(list(layers.values()), sheets, items, PackInfo(title, plan.studio_name, first.lang))
    return write_atomic(out_dir, PACK_NAME, pdf)


class _Plan:
    """Turns roster rows into entries: layouts prepared once each, names unique, inputs hashed."""

    def __init__(self, project: Project, content, template, class_name, date: dt.date, roster: Path):
        self.project, self.content, self.template = project, content, template
        self.class_name, self.date, self.roster = class_name, date, roster
        self.jobs: dict[tuple, build.Job | HandoutError] = {}  # by what rows ask for
        self.layouts: dict[tuple, build.Job] = {}  # by what that resolves to
        self.digests: dict[tuple, str] = {}  # a layout's inputs, hashed
        self.font_set: fonts.FontSet | None = None
        self.studio_name = ""

    def job(self, key: tuple) -> build.Job:
        if key not in self.jobs:
            lang, template = key
            try:
                job = build.prepare(self.project, self.content, template=template, lang=lang)
                build.personal_box(job)
                glyphs.check_personal(job.font_coverage, None, None, self.class_name)
                self.font_set = build.studio_fonts(job.studio, job.studio_file)
                self.studio_name = job.studio.name
                self.jobs[key] = job
            except HandoutError as error:
                self.jobs[key] = error
        found = self.jobs[key]
        if isinstance(found, HandoutError):
            raise found
        return found

    def entries(self, clients: list[Client], report: BatchReport) -> list[Entry]:
        entries, taken = [], set()
        for client in clients:
            try:
                job = self.job((client.lang, LARGE_PRINT if client.large_print else (client.template or self.template)))
                info = Personal(client=client.name, note=client.note, date=self.date, class_name=self.class_name)
            except HandoutError as error:
                report.failed.append(self.failure(client, error.problems[0]))
                continue
            except ValidationError as error:
                report.failed.append(self.failure(client, Problem(error.errors()[0]["msg"])))
                continue
            try:
                height = build.personal_box(job).layout(info).height
            except HandoutError as error:
                report.failed.append(self.failure(client, _row_problem(error.problems[0])))
                continue
            key = (str(job.content_file), job.template.name, job.paper, height)
            if key not in self.layouts:
                self.layouts[key], self.digests[key] = job, manifest.layer_digest(job)
            name = unique_name(output_name(job.content.id, job.template.name, client.name), taken)
            digest = manifest.digest(self.digests[key], client.name, client.note, self.date.isoformat(), self.class_name, name)
            entries.append(Entry(len(entries), client, key, name, info, digest, True))
        return entries

    def failure(self, client: Client, problem: Problem) -> RowProblem:
        """The row's own place first; the file the problem is in (a template, the content) in the hint."""
        where = problem.where()
        hint = "; ".join(part for part in (problem.hint, f"in {where}" if where else None) if part)
        return RowProblem(client.row, client.name, Problem(problem.message, file=self.roster, line=client.row,
                                                        field=problem.field, hint=hint or None))

    def layers(self, keys: set, entries: list[Entry], report: BatchReport) -> dict[tuple, Layer]:
        """Render each layout's shared pages once; a layout that fails fails its rows."""
        layers = {}
        for key in sorted(keys):
            try:
                layers[key] = shared_layer(self.layouts[key], self.digests[key], box_height=key[-1])
            except HandoutError as error:
                report.failed += [self.failure(e.client, error.problems[0]) for e in entries if e.layer == key]
        return layers


def unique_name(name: str, taken: set[str]) -> str:
    """``name``, or ``name`` with -2, -3... before .pdf: the first free one (recorded in ``taken``)."""
    stem, number, candidate = name.removesuffix(".pdf"), 1, name
    while candidate in taken:
        number += 1
        candidate = f"{stem}-{number}.pdf"
    taken.add(candidate)
    return candidate


def _mark(entry: Entry, last: manifest.Manifest, out_dir: Path, force: bool) -> Entry:
    """Mark an entry up to date when its inputs are unchanged and its file is still there."""
    return replace(entry, write=force or not last.current(out_dir, entry.name, entry.digest))


def _tasks(entries: list[Entry], want_pack: bool, out_dir: Path) -> list[Task]:
    """Chunks of consecutive entries, keeping only what has something to do."""
    tasks = []
    for start in range(0, len(entries), CHUNK):
        chunk = tuple(e for e in entries[start:start + CHUNK] if want_pack or e.write)
        if chunk:
            tasks.append(Task(start // CHUNK, chunk, want_pack, out_dir))
    return tasks


_worker_layers: dict[tuple, Layer] = {}


def _start_worker(layers: dict[tuple, Layer], font_set: fonts.FontSet | None) -> None:
    _worker_layers.update(layers)
    if font_set:
        fonts.use(font_set)


def _worker(task: Task) -> ChunkResult:
    return run_chunk(task, _worker_layers)


def run_chunk(task: Task, layers: dict[tuple, Layer], tick: Callable[[int], None] | None = None) -> ChunkResult:
    """Stamp one chunk: each client's box is laid out once, painted on the pack's sheet and on
    the sheet their file is cut from (a sheet of their own if their box needs more than the primer)."""
    result = ChunkResult(task.number)
    pack = StampSheet() if task.sheet else None
    files = StampSheet(primer(layers[task.entries[0].layer].coverage))
    to_write: list[tuple[Entry, int]] = []
    for entry in task.entries:
        layer = layers[entry.layer]
        try:
            story = layer.layout(entry.personal)
            if entry.write and files.fits_primer(story):
                to_write.append((entry, files.add(layer, story)))
            elif entry.write:
                _write(task, entry, stamped_handout(layer, story, entry.client.name), result)
        except HandoutError as error:
            result.failed.append((entry.index, _row_problem(error.problems[0])))
        else:
            if pack:
                result.placed.append((entry.index, pack.add(layer, story)))
    result.sheet = pack.finish() if pack and pack.pages else None
    if to_write:
        stamper = Stamper(files.finish())
        try:
            for entry, page in to_write:
                _write(task, entry, stamper.handout(layers[entry.layer], page, entry.client.name), result)
                if tick:
                    tick(1)
        finally:
            stamper.close()
    if tick:
        tick(len(task.entries) - len(to_write))
    return result


def _write(task: Task, entry: Entry, pdf: bytes, result: ChunkResult) -> None:
    try:
        # One fsync per file would cost more than the stamping: the batch settles them all at the end.
        write_atomic(task.out_dir, entry.name, pdf, durable=False)
    except HandoutError as error:
        result.failed.append((entry.index, error.problems[0]))
    else:
        result.written.append(entry.index)


def _row_problem(problem: Problem) -> Problem:
    """Name the roster's column, not the option a single build would have had (--class-name is batch's too)."""
    columns = {"--client": "name", "--note": "note"}
    return replace(problem, field=columns[problem.field]) if problem.field in columns else problem


def _run(tasks: list[Task], layers: dict, font_set, jobs: int | None, progress: Progress | None) -> list[ChunkResult]:
    """Run the chunks in this process (one job, or one chunk) or in a pool of processes."""
    total = sum(len(task.entries) for task in tasks)
    done = 0

    def advance(count: int = 1) -> None:
        nonlocal done
        done += count
        if progress:
            progress(done, total)

    advance(0)
    workers = min(jobs or os.cpu_count() or 1, len(tasks))
    if workers <= 1:
        return [run_chunk(task, layers, advance) for task in tasks]
    # fork: workers start with the fonts parsed and the modules imported (spawn would redo both).
    context = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else None)
    results = []
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker,
                             initargs=(layers, font_set)) as pool:
        futures = {pool.submit(_worker, task): task for task in tasks}
        for future in as_completed(futures):
            results.append(future.result())
            advance(len(futures[future].entries))
    return sorted(results, key=lambda result: result.number)
