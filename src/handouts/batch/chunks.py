"""A batch's clients stamped in chunks, in this process or in a pool of worker processes.

ReportLab keeps global state, so the work is spread over processes, not
threads. Workers are forked with the shared layers already rendered and the
fonts parsed. They end with the batch: a worker whose parent dies is sent
SIGTERM by the kernel (Linux), and Ctrl-C stops the pool from taking more
work; a chunk in progress finishes the client it is writing (every write is
atomic) and stops there.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Hashable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from pathlib import Path

from handouts.batch.roster import Client
from handouts.batch.stamp import Stamper, stamped_handout
from handouts.content.models import Personal
from handouts.errors import HandoutError, Problem
from handouts.layout import fonts
from handouts.manifest import Made, journal
from handouts.output import write_atomic

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Entry:
    """One client's handout, planned: which layer, which file and bookmark, and whether to write it."""

    index: int
    client: Client
    layer: Hashable  # batch.LayerKey
    name: str
    bookmark: str
    digest: str
    write: bool


@dataclass(frozen=True)
class Occasion:
    """What every box of the class shares: the date and the class's name."""

    date: dt.date
    class_name: str | None = None

    def personal(self, client: Client) -> Personal:
        """The box's texts for one client (made in the worker: a class of 5000 keeps none in memory)."""
        return Personal(client=client.name, note=client.note, date=self.date, class_name=self.class_name)


@dataclass(frozen=True)
class Task:
    """A chunk of the class in roster order: stamp each entry, write those marked, fill a sheet."""

    number: int
    entries: tuple[Entry, ...]
    sheet: bool
    out_dir: Path
    occasion: Occasion


@dataclass
class ChunkResult:
    """What a chunk did; for the class pack, each client's stamp: from a shared sheet, or a sheet of their own."""

    number: int
    stamps: dict[int, tuple[bytes, bytes]] = field(default_factory=dict)  # entry index -> (stream, filter)
    own: dict[int, tuple[bytes, int]] = field(default_factory=dict)  # entry index -> (sheet, page)
    written: dict[int, Made] = field(default_factory=dict)  # entry index -> what was written
    failed: list[tuple[int, Problem]] = field(default_factory=list)
    stopped: bool = False


_worker_layers: dict = {}
_stop = None  # a multiprocessing Event, set at Ctrl-C


def _start_worker(layers: dict, font_set: fonts.FontSet | None, stop, parent: int) -> None:
    global _stop
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the main process decides what Ctrl-C stops
    _die_with_parent(parent)
    _worker_layers.update(layers)
    _stop = stop
    if font_set:
        fonts.use(font_set)


def _die_with_parent(parent: int) -> None:
    """Ask the kernel for SIGTERM when the batch's main process dies (kill -9 included)."""
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # it died before we asked
        os._exit(1)


def _worker(task: Task) -> ChunkResult:
    return run_chunk(task, _worker_layers, stop=_stop)


def run_chunk(task: Task, layers: dict, tick: Callable[[int], None] | None = None, stop=None) -> ChunkResult:
    """Stamp one chunk: each client's box is laid out once and painted once, on its layer's sheet (or
    a sheet of its own, for a box beyond the primer); files are cut from the sheets, the pack takes the stamps."""
    result = ChunkResult(task.number)
    sheets: dict = {}
    placed: list[tuple[Entry, int]] = []
    for entry in task.entries:
        if stop is not None and stop.is_set():
            result.stopped = True
            return result
        layer = layers[entry.layer]
        try:
            story = layer.layout(task.occasion.personal(entry.client))
        except HandoutError as error:
            result.failed.append((entry.index, row_problem(error.problems[0])))
            if tick:
                tick(1)
            continue
        if entry.layer not in sheets:
            sheets[entry.layer] = layer.sheet()
        sheet = sheets[entry.layer]
        if sheet.fits_primer(story):
            placed.append((entry, sheet.add(layer, story)))
            continue
        pdf, own, page = stamped_handout(layer, story, entry.client.name)
        if task.sheet:
            result.own[entry.index] = (own, page)
        if entry.write:
            _write(task, entry, pdf, layer.pages, result)
        if tick:
            tick(1)
    for key, sheet in sheets.items():
        _cut(task, layers[key], sheet.finish(), [(e, page) for e, page in placed if e.layer == key], result, tick, stop)
    return result


def _cut(task: Task, layer, sheet: bytes, placed: list[tuple[Entry, int]], result: ChunkResult, tick, stop) -> None:
    """Each client's file cut from one sheet, and their stamps kept for the pack."""
    stamper = Stamper(sheet)
    try:
        for entry, page in placed:
            if stop is not None and stop.is_set():
                result.stopped = True
                return
            if task.sheet:
                result.stamps[entry.index] = stamper.stamp(page)
            if entry.write:
                _write(task, entry, stamper.handout(layer, page, entry.client.name), layer.pages, result)
            if tick:
                tick(1)
    finally:
        stamper.close()


def _write(task: Task, entry: Entry, pdf: bytes, pages: int, result: ChunkResult) -> None:
    """Write a client's file and note it in the folder's journal at once (a stopped batch's files stay known)."""
    try:
        # One fsync per file would cost more than the stamping: the batch settles them all at the end.
        write_atomic(task.out_dir, entry.name, pdf, durable=False)
    except HandoutError as error:
        result.failed.append((entry.index, error.problems[0]))
    else:
        made = Made.of(entry.digest, pdf, pages)
        journal(task.out_dir, entry.name, made)
        result.written[entry.index] = made


#: The roster's column for each option a single build names (--class-name is batch's own option too).
COLUMNS = {"--client": "name", "--note": "note"}


def row_problem(problem: Problem) -> Problem:
    """Name the roster's column, not the option a single build would have had."""
    return replace(problem, field=COLUMNS[problem.field]) if problem.field in COLUMNS else problem


def run_all(tasks: list[Task], layers: dict, font_set, jobs: int | None, progress: Progress | None) -> list[ChunkResult]:
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
    stop = context.Event()
    results = []
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker,
                               initargs=(layers, font_set, stop, os.getpid()))
    try:
        futures = {pool.submit(_worker, task): task for task in tasks}
        for future in as_completed(futures):
            results.append(future.result())
            advance(len(futures[future].entries))
    except BaseException:
        stop.set()  # Ctrl-C (or a failure): the workers finish the file in hand and take nothing more
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    return sorted(results, key=lambda result: result.number)
