"""The batch API: a class roster in, one handout per client, the class pack and clients.csv out.

``build_batch`` reads as its steps: read the roster; give the class a folder
of its own; prepare each layout the class needs and give every client a
file name of their own; skip what is up to date; render each shared layer
once (``LayerKey``); stamp the clients in chunks, in worker processes
(``chunks``); put the class pack together; remove the files of clients no
longer on the roster; write the manifest and ``clients.csv``. A row that
cannot be printed is reported with its row number and name, and the others
are still built. It prints nothing: progress goes to a callback and the
result is a :class:`BatchReport`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path

from pydantic import ValidationError

from handouts import build, manifest
from handouts.batch.chunks import ChunkResult, Entry, Occasion, Progress, Task, row_problem, run_all
from handouts.batch.frontdesk import Line, write_clients
from handouts.batch.pack import PackInfo, PackItem, class_pack
from handouts.batch.roster import Client, LeftOut, RowProblem, language, read_roster
from handouts.batch.stamp import Layer, shared_layer
from handouts.content.labels import format_date
from handouts.content.models import Personal
from handouts.errors import ContentError, HandoutError, OutputError, Problem
from handouts.layout import fonts, glyphs
from handouts.layout.templating import find_template
from handouts.output import class_folder, client_slug, name_for, settle, write_atomic
from handouts.project import Project

PACK_NAME = "class-pack.pdf"
LARGE_PRINT = "large-print"
#: Clients per stamp sheet. Fixed (not derived from --jobs) so the pack's bytes never depend on it.
CHUNK = 100


@dataclass(frozen=True, order=True)
class LayerKey:
    """What one shared render is made from: every client with the same key shares its pages.

    The one place that says what a shared layer depends on. A choice that
    changes the shared pages and can differ from client to client joins here
    as a field (such as the height of a personal box that grows with the
    client's text): entries are grouped, hashed, cached and rendered by this
    key, so nothing else in the batch changes.
    """

    content_file: str
    template: str
    paper: str
    lang: str
    practice_log: bool
    box_height: float  # a growing layout's personal box is as tall as its client's text


@dataclass(frozen=True)
class Options:
    """What ``batch`` shares with ``build``: a row's own language, template or large print wins."""

    content: str | Path = build.DEFAULT_CONTENT
    template: str | None = None
    paper: str | None = None
    lang: str | None = None
    practice_log: bool | None = None


@dataclass
class BatchReport:
    """What a batch did: every roster row is in exactly one of built, up_to_date, left_out, failed."""

    roster: Path
    out_dir: Path
    built: list[Path] = field(default_factory=list)
    up_to_date: list[Path] = field(default_factory=list)
    left_out: list[LeftOut] = field(default_factory=list)
    failed: list[RowProblem] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)  # files of clients no longer on the roster
    pack: Path | None = None
    pack_built: bool = False
    clients: Path | None = None  # clients.csv
    kind: str = "CSV"
    encoding: str | None = None
    warnings: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed


def build_batch(
    roster: Path,
    *,
    content: str | Path = build.DEFAULT_CONTENT,
    template: str | None = None,
    paper: str | None = None,
    lang: str | None = None,
    practice_log: bool | None = None,
    class_name: str | None = None,
    date: dt.date | None = None,
    out_dir: Path | None = None,
    jobs: int | None = None,
    force: bool = False,
    project: Project | None = None,
    progress: Progress | None = None,
) -> BatchReport:
    """Build a handout for each client of ``roster``, the class pack and clients.csv, into ``out_dir``.

    Without ``out_dir`` the class gets a folder of its own under the studio's
    output/, named from ``class_name`` and ``date`` (else from the roster).
    """
    project = project or Project.discover()
    read = read_roster(Path(roster))
    read.require_clients()
    date = date or build.today()
    options = Options(content, template, paper, _option_lang(lang), practice_log)
    out_dir, last = _folder(project, out_dir, class_name, date, read.file)
    plan = _Plan(project, options, class_name or None, date, read.file)
    plan.check_options()
    _make_folder(out_dir)
    report = BatchReport(read.file, out_dir, left_out=read.left_out, failed=list(read.problems),
                         kind=read.kind, encoding=read.encoding)
    entries = [_mark(entry, last, out_dir, force) for entry in plan.entries(read.clients, report)]
    report.warnings += last.replacing(out_dir, [entry.name for entry in entries if entry.write])
    pack_digest = manifest.digest("pack", [(e.name, e.bookmark, e.digest) for e in entries])
    want_pack = bool(entries) and (force or not (last.pack and last.pack.current(out_dir / PACK_NAME, pack_digest)))
    layers = plan.layers({entry.layer for entry in entries if entry.write or want_pack}, entries, report)
    usable = [entry for entry in entries if entry.layer in layers or not (entry.write or want_pack)]
    tasks = _tasks(usable, want_pack, out_dir, plan.occasion)
    results = run_all(tasks, layers, plan.font_set, jobs, progress)
    if tasks:
        settle(out_dir)
    by_index = {entry.index: entry for entry in usable}
    failed = _collect(report, results, by_index, plan)
    pack = last.pack
    if want_pack:
        pack = _write_pack(results, by_index, layers, plan, out_dir, pack_digest)
        report.pack_built = pack is not None
    report.pack = out_dir / PACK_NAME if entries and pack else None
    files = _held(results, [e for e in usable if e.index not in failed], last)
    clean = not failed and len(usable) == len(entries)
    report.removed = _remove_stale(out_dir, last, set(files) | ({PACK_NAME} if report.pack else set()))
    manifest.save(out_dir, manifest.Manifest(files, pack if clean else None, str(read.file.resolve())))
    report.failed.sort(key=lambda failure: failure.row)
    report.clients = write_clients(out_dir, _lines(report, entries, failed, {n: m.pages for n, m in files.items()}))
    return report


def _folder(project: Project, out_dir: Path | None, class_name: str | None, date: dt.date,
            roster: Path) -> tuple[Path, manifest.Manifest]:
    """The class's folder and its record: --out, else one named from the class and date, else from the roster."""
    if out_dir:
        return Path(out_dir), manifest.load(Path(out_dir))
    folder = project.default_out_dir() / class_folder(class_name, date, roster)
    last = manifest.load(folder)
    if not class_name:
        _check_roster_folder(folder, last, roster)
    return folder, last


def _held(results: list[ChunkResult], done: list[Entry], last: manifest.Manifest) -> dict[str, manifest.Made]:
    """What the folder now holds for each client done: what this run wrote, else what the last one did."""
    written = {index: made for result in results for index, made in result.written.items()}
    held = {e.name: written.get(e.index) or last.files.get(e.name) for e in done}
    return {name: made for name, made in held.items() if made}


def _check_roster_folder(out_dir: Path, last: manifest.Manifest, roster: Path) -> None:
    """A folder named after its roster's file holds that roster's class: another roster of the same name
    (studio software exports every class as ClassRoster.csv) must not take it over and remove its files."""
    if last.roster and Path(last.roster) != roster.resolve():
        raise OutputError(f"{out_dir} holds the class of another roster of this name, {last.roster}", file=roster,
                          hint='give this class a folder of its own with --class-name "NAME" (with the date, it '
                               "names the folder), or pass --out DIR with another folder")


def _option_lang(lang: str | None) -> str | None:
    try:
        return language(lang) if lang else None
    except ValueError as error:
        raise ContentError(str(error), field="--lang", hint="use a code such as en or es, or a name such as Spanish") \
            from None


def _make_folder(out_dir: Path) -> None:
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot write to {out_dir}: {exc.strerror}",
                          hint="pass --out DIR with a folder you may write to") from None


def _remove_stale(out_dir: Path, last: manifest.Manifest, current: set[str]) -> list[Path]:
    """Files the last run of this folder made for clients no longer printed (and a pack with no one in it)."""
    stale = [name for name in [*last.files, *([PACK_NAME] if last.files else [])] if name not in current]
    removed = []
    for name in stale:
        path, made = out_dir / name, last.files.get(name)
        if path.is_file() and not path.is_symlink() and not (made and not made.on_disk(path)):
            path.unlink()
            removed.append(path)
    return removed


def _collect(report: BatchReport, results: list[ChunkResult], by_index: dict, plan: "_Plan") -> set[int]:
    """Put what the chunks did in the report; return the entries that failed."""
    failed = {index for result in results for index, _ in result.failed}
    for result in results:
        report.failed += [plan.failure(by_index[i].client, problem) for i, problem in result.failed]
        report.built += [report.out_dir / by_index[i].name for i in sorted(result.written)]
    report.up_to_date = [report.out_dir / e.name for e in by_index.values() if not e.write and e.index not in failed]
    return failed


def _lines(report: BatchReport, entries: list[Entry], failed: set[int], pages: dict) -> list[Line]:
    """clients.csv: every roster row with a client, what became of it and why."""
    built = {path.name for path in report.built}
    lines = [Line(e.client.row, e.client.name, e.client.email,
                  "built" if e.name in built else "up to date", e.layer.lang, e.layer.template, e.name,
                  pages.get(e.name)) for e in entries if e.index not in failed and e.name in pages]
    lines += [Line(item.row, item.name, item.email, "left out", reason=item.status) for item in report.left_out]
    lines += [Line(item.row, item.name, item.email, "failed", reason=_reason(item.problem)) for item in report.failed]
    return lines


def _reason(problem: Problem) -> str:
    text = f"{problem.field}: {problem.message}" if problem.field else problem.message
    return f"{text} (hint: {problem.hint})" if problem.hint else text


def _write_pack(results: list[ChunkResult], by_index: dict, layers: dict, plan: "_Plan", out_dir: Path,
                inputs: str) -> manifest.Made | None:
    """The class pack from the chunks' stamps, in roster order, and what was written (None when no one got a handout)."""
    keys = list(layers)
    items = []
    for result in results:
        for index in sorted({*result.stamps, *result.own}):
            entry = by_index[index]
            items.append(PackItem(keys.index(entry.layer), entry.bookmark, result.stamps.get(index),
                                  result.own.get(index)))
    if not items:
        return None
    first = layers[keys[items[0].layer]]
    title = " – ".join(part for part in (first.title, plan.class_name, format_date(plan.date, first.box.labels)) if part)
    pdf = class_pack(list(layers.values()), items, PackInfo(title, plan.studio_name, first.lang))
    write_atomic(out_dir, PACK_NAME, pdf)
    return manifest.Made.of(inputs, pdf)


class _Plan:
    """Turns roster rows into entries: layouts prepared once each, names unique, inputs hashed."""

    def __init__(self, project: Project, options: Options, class_name, date: dt.date, roster: Path):
        self.project, self.options = project, options
        self.class_name, self.date, self.roster = class_name, date, roster
        self.occasion = Occasion(date, class_name)
        self.jobs: dict[tuple, build.Job | HandoutError] = {}  # by what rows ask for
        self.layouts: dict[LayerKey, build.Job] = {}  # by what that resolves to
        self.digests: dict[LayerKey, str] = {}  # a layer's inputs, hashed
        self.langs: dict[str | None, str | None] = {}
        self.font_set: fonts.FontSet | None = None
        self.studio_name = ""
        self.taken: set[str] = set()

    def check_options(self) -> None:
        """What every row may share (the content, --lang, --template): a wrong one is one error, as ``build``
        says it, before anything is written, not the same failure on every row."""
        content, lang = str(self.options.content), self.options.lang
        if lang or content not in {name.split(".", 1)[0] for name in self.project.content_ids()}:
            self.project.resolve_content(content, self.content_lang(lang) or build.DEFAULT_LANG)
        if self.options.template:
            find_template(self.project, self.options.template)

    def job(self, lang: str | None, template: str | None) -> build.Job:
        key = (lang, template)
        if key not in self.jobs:
            try:
                job = build.prepare(self.project, self.options.content, template=template, paper=self.options.paper,
                                    lang=self.content_lang(lang), practice_log=self.options.practice_log)
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

    def content_lang(self, tag: str | None) -> str | None:
        """The content's language nearest ``tag`` ('es-MX' -> 'es' when the content is in Spanish only)."""
        content = str(self.options.content)
        if tag is None or content.endswith((".yaml", ".yml")) or "/" in content:
            return tag
        if tag not in self.langs:
            self.langs[tag] = self.project.content_language(content, tag)
        return self.langs[tag]

    def entries(self, clients: list[Client], report: BatchReport) -> list[Entry]:
        entries = []
        for client in clients:
            template = LARGE_PRINT if client.large_print else (client.template or self.options.template)
            try:
                job = self.job(client.lang or self.options.lang, template)
                key = self.layer_key(job, self.occasion.personal(client))  # (laid out again where it is drawn)
            except HandoutError as error:
                report.failed.append(self.failure(client, row_problem(error.problems[0])))
                continue
            except ValidationError as error:
                report.failed.append(self.failure(client, Problem(error.errors()[0]["msg"])))
                continue
            _, number = unique_name(client_slug(client.name), self.taken)
            name = name_for(job, client.name, number)
            bookmark = client.name if number == 1 else f"{client.name} ({number})"
            digest = manifest.digest(self.digests[key], client.name, client.note, self.date.isoformat(),
                                     self.class_name, name)
            entries.append(Entry(len(entries), client, key, name, bookmark, digest, True))
        return entries

    def layer_key(self, job: build.Job, personal: Personal) -> LayerKey:
        """The shared render ``personal``'s handout is stamped on (its box's height, when the box grows)."""
        box = build.personal_box(job)
        glyphs.check_personal(job.font_coverage, personal.client, personal.note, personal.class_name)
        height = box.layout(personal).height if box.style.grows else box.rect[3]
        key = LayerKey(str(job.content_file), job.template.name, job.paper, job.lang, job.practice_log, height)
        if key not in self.layouts:
            self.layouts[key] = job
            self.digests[key] = manifest.digest(manifest.layer_digest(job), dataclasses.astuple(key))
        return key

    def failure(self, client: Client, problem: Problem) -> RowProblem:
        """The row's own place first; the file the problem is in (a template, the content) in the hint."""
        where = problem.where()
        hint = "; ".join(part for part in (problem.hint, f"in {where}" if where else None) if part)
        return RowProblem(client.row, client.name, Problem(problem.message, file=self.roster, line=client.row,
                                                        field=problem.field, hint=hint or None), client.email)

    def layers(self, keys: set, entries: list[Entry], report: BatchReport) -> dict[LayerKey, Layer]:
        """Render each layer's shared pages once; a layer that fails fails its rows."""
        layers = {}
        for key in sorted(keys):
            try:
                layers[key] = shared_layer(self.layouts[key], self.digests[key], box_height=key.box_height)
            except HandoutError as error:
                report.failed += [self.failure(e.client, error.problems[0]) for e in entries if e.layer == key]
        return layers


def unique_name(name: str, taken: set[str]) -> tuple[str, int]:
    """``name``, or ``name`` with -2, -3... (before .pdf), and that number (1 for none); recorded in ``taken``.

    Names are claimed in roster order, so the numbers are too. The free
    number is found by doubling then halving (the numbers a stem has taken
    are 2..k), so a class of n namesakes costs n log n, not n squared.
    """
    stem, suffix = (name[:-4], ".pdf") if name.endswith(".pdf") else (name, "")

    def candidate(number: int) -> str:
        return name if number == 1 else f"{stem}-{number}{suffix}"

    low, high = 1, 1
    while candidate(high) in taken:
        low, high = high, high * 2
    while high - low > 1:  # candidate(low) is taken, candidate(high) is free
        middle = (low + high) // 2
        low, high = (middle, high) if candidate(middle) in taken else (low, middle)
    number = high if candidate(low) in taken else low
    taken.add(candidate(number))
    return candidate(number), number


def _mark(entry: Entry, last: manifest.Manifest, out_dir: Path, force: bool) -> Entry:
    """Mark an entry up to date when its inputs are unchanged and its file is still there."""
    return replace(entry, write=force or not last.current(out_dir, entry.name, entry.digest))


def _tasks(entries: list[Entry], want_pack: bool, out_dir: Path, occasion: Occasion) -> list[Task]:
    """Chunks of consecutive entries, keeping only what has something to do."""
    tasks = []
    for start in range(0, len(entries), CHUNK):
        chunk = tuple(e for e in entries[start:start + CHUNK] if want_pack or e.write)
        if chunk:
            tasks.append(Task(start // CHUNK, chunk, want_pack, out_dir, occasion))
    return tasks
