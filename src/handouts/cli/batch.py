"""``handouts batch``: a personalised handout for each client of a class, the class pack and clients.csv."""

from __future__ import annotations

import signal
from pathlib import Path
from typing import Annotated, Optional

import typer

from handouts.cli.common import app, cell, current_project, fail, report, say, state, warn
from handouts.cli.options import ContentArg, DateOpt, LangOpt, PaperOpt, PracticeLogOpt, TemplateOpt, parse_folder

SHOWN = 5  # left-out and failed clients named on the terminal for each line; the rest are counted


@app.command()
def batch(
    roster: Annotated[Path, typer.Argument(metavar="ROSTER", show_default=False,
                                           help="Class roster: CSV (any common encoding), .xlsx, .xls or .ods, "
                                                "with a header row.")],
    content: ContentArg = None,
    content_option: Annotated[Optional[str], typer.Option("--content", "-c", hidden=True)] = None,
    template: TemplateOpt = None,
    paper: PaperOpt = None,
    lang: LangOpt = None,
    practice_log: PracticeLogOpt = None,
    class_name: Annotated[Optional[str], typer.Option(
        "--class-name", help="Printed beside the date, e.g. 'Tuesday 6 pm Mat'; also names the class's folder.")] = None,
    date: DateOpt = None,
    out: Annotated[Optional[Path], typer.Option(
        "--out", "-o", parser=parse_folder, metavar="DIR",
        help="Output folder; default: the class's own folder under output/.")] = None,
    jobs: Annotated[Optional[int], typer.Option(
        "--jobs", "-j", min=1, help="Worker processes; default: one per core.", show_default=False)] = None,
    force: Annotated[bool, typer.Option("--force", help="Rebuild every handout, even those up to date.")] = False,
) -> None:
    """Build one handout per client of ROSTER, class-pack.pdf for the printer and clients.csv for the front desk.

    Without --out the class gets a folder of its own under output/, named from
    --class-name and --date (else from the roster's name). A row's own
    language, template or large print wins over --lang and --template. Rows
    whose status is cancelled, no-show, waitlisted or standby are left out. A
    row that cannot be printed is reported with its row number and name, the
    others are still built, and the exit code is 1. Handouts whose inputs have
    not changed since the last run are kept (--force rebuilds them).
    """
    from handouts.batch.run import build_batch
    from handouts.build import DEFAULT_CONTENT
    from handouts.errors import HandoutError

    if content and content_option:
        raise typer.BadParameter("give the content once, as CONTENT or --content", param_hint="'--content'")
    # A shell starts a background job with Ctrl-C ignored; a batch is still stopped by SIGINT sent to it.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with _progress() as progress:
            result = build_batch(
                roster, content=content or content_option or DEFAULT_CONTENT, template=template,
                paper=paper, lang=lang, practice_log=practice_log, class_name=class_name,
                date=date, out_dir=out, jobs=jobs, force=force,
                project=current_project(), progress=progress,
            )
    except HandoutError as error:
        raise fail(error) from None
    _summary(result)
    if not result.ok:
        raise typer.Exit(1)


class _progress:
    """A progress bar on stderr (none with --quiet or --json), fed by the library's callback."""

    def __enter__(self):
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.bar = None
        if not (state["quiet"] or state["json"]):
            # No refresh thread: the batch forks worker processes, and a fork should not copy a thread.
            self.bar = Progress(TextColumn("stamping handouts"), BarColumn(), MofNCompleteColumn(),
                                TimeElapsedColumn(), console=Console(stderr=True), auto_refresh=False,
                                transient=True)
        self.task = None
        return self

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None or not total:
            return
        if self.task is None:
            self.bar.start()
            self.task = self.bar.add_task("batch", total=total)
        self.bar.update(self.task, completed=done, total=total)
        self.bar.refresh()

    def __exit__(self, *exc) -> None:
        if self.bar is not None and self.task is not None:
            self.bar.stop()


def shown_path(path: Path) -> str:
    """A path as short as it can be said: relative to the current folder when inside it."""
    from handouts.terminal import shown

    try:
        return shown(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return shown(path)


def _summary(result) -> None:
    """The counts, who was left out, the failed rows with their clients and reasons, where the files are."""
    from rich.console import Console

    if not state["json"]:
        warn(result.warnings)
    if state["json"] or state["quiet"]:
        for failure in result.failed:
            say(f"error: {failure.problem}", color=typer.colors.RED)
    if state["json"]:
        _json(result)
        return
    if state["quiet"]:
        return
    console = Console(soft_wrap=False, highlight=False, markup=False, emoji=False)
    read_as = f" ({result.kind}{', ' + result.encoding if result.encoding else ''})"
    # Lines that hold paths are not wrapped by Rich (an absolute path would break the line in two).
    console.print(f"{shown_path(result.roster)}{read_as} -> {shown_path(result.out_dir)}", soft_wrap=True)
    console.print(_counts(result))
    if result.failed:
        console.print(_failures(result.failed))
    if result.pack:
        console.print(f"class pack: {shown_path(result.pack)}" + ("" if result.pack_built else " (up to date)"),
                      soft_wrap=True)
    if result.clients:
        console.print(f"who gets which file: {shown_path(result.clients)}", soft_wrap=True)


def _names(people, limit: int = SHOWN) -> str:
    """'Bob Smith (row 6), Kim Lee (row 19) and 71 more'."""
    from handouts.terminal import shown

    named = [f"{shown(person.name or '(no name)', 60)} (row {person.row})" for person in people[:limit]]
    more = len(people) - limit
    return ", ".join(named) + (f" and {more} more (all in clients.csv)" if more > 0 else "")


def _counts(result):
    from rich.table import Table
    from rich.text import Text

    table = Table(show_header=True)
    table.add_column("")
    table.add_column("handouts", justify="right")
    table.add_column("clients", overflow="fold")
    table.add_row("built", str(len(result.built)), "")
    table.add_row("up to date", str(len(result.up_to_date)), "")
    table.add_row("left out", str(len(result.left_out)), Text(_names(result.left_out)))
    table.add_row("failed", str(len(result.failed)), Text(_names(result.failed)), style="red" if result.failed else None)
    if result.removed:
        table.add_row("removed", str(len(result.removed)),
                      cell("no longer on the roster: " + ", ".join(p.name for p in result.removed[:SHOWN])))
    return table


def _failures(failures):
    """Rows that failed for the same reason share a line, each with its client: '3 Jo Park, 8 Lu Wang | reason'."""
    from rich.table import Table
    from rich.text import Text

    reasons: dict[str, list] = {}
    for failure in failures:
        problem = failure.problem
        reason = (f"{problem.field}: " if problem.field else "") + problem.message
        reasons.setdefault(reason + (f" (hint: {problem.hint})" if problem.hint else ""), []).append(failure)
    table = Table(title="failed rows", title_justify="left")
    table.add_column("rows and clients", overflow="fold")
    table.add_column("reason", overflow="fold")
    for reason, group in reasons.items():
        table.add_row(Text(_names(group)), cell(reason))
    return table


def _json(result) -> None:
    outputs = [{"path": path, "kind": "pdf", "status": "built"} for path in result.built]
    outputs += [{"path": path, "kind": "pdf", "status": "up to date"} for path in result.up_to_date]
    if result.pack:
        outputs.append({"path": result.pack, "kind": "pack", "status": "built" if result.pack_built else "up to date"})
    if result.clients:
        outputs.append({"path": result.clients, "kind": "clients", "status": "built"})
    report("batch", outputs, warnings=result.warnings, errors=[failure.problem for failure in result.failed],
           ok=result.ok, details={
               "left_out": [vars(item) for item in result.left_out],
               "failed": [{"row": f.row, "client": f.name, "email": f.email} for f in result.failed],
               "removed": [str(path) for path in result.removed],
               "roster": {"kind": result.kind, "encoding": result.encoding}})
