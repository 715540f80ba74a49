"""``handouts batch``: a personalised handout for each client of a class, and the class pack."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from handouts.cli.common import (
    DateOpt, OutOpt, TemplateOpt, app, cell, complete_content, current_project, fail, report, say, state,
)

SHOWN = 5  # left-out rows named in the summary; the rest are counted


@app.command()
def batch(
    roster: Annotated[Path, typer.Argument(help="Class roster: CSV (UTF-8) or .xlsx, with a header row.",
                                           dir_okay=False, show_default=False)],
    content: Annotated[Optional[str], typer.Option(
        "--content", "-c", help="Content id or YAML path; default: constructive-rest.",
        autocompletion=complete_content)] = None,
    template: TemplateOpt = None,
    class_name: Annotated[Optional[str], typer.Option(
        "--class-name", help="Printed beside the date, e.g. 'Tuesday 6 pm Mat'.")] = None,
    date: DateOpt = None,
    out: OutOpt = None,
    jobs: Annotated[Optional[int], typer.Option(
        "--jobs", "-j", min=1, help="Worker processes; default: one per core.", show_default=False)] = None,
    force: Annotated[bool, typer.Option("--force", help="Rebuild every handout, even those up to date.")] = False,
) -> None:
    """Build one handout per client of ROSTER, and class-pack.pdf to send to the printer.

    Rows whose status says cancelled, no-show, waitlist or standby are left
    out. A row that cannot be printed is reported with its row number and the
    others are still built; the exit code is then 1. Handouts whose inputs
    have not changed since the last run are kept (--force rebuilds them).
    """
    from handouts.batch import build_batch
    from handouts.build import DEFAULT_CONTENT
    from handouts.errors import HandoutError

    try:
        with _progress() as progress:
            result = build_batch(
                roster, content=content or DEFAULT_CONTENT, template=template, class_name=class_name,
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


def _summary(result) -> None:
    """The counts, who was left out, and the failed rows with their reasons (one line per reason)."""
    from rich.console import Console

    if state["json"] or state["quiet"]:
        for failure in result.failed:
            say(f"error: {failure.problem}", color=typer.colors.RED)
    if state["json"]:
        _json(result)
        return
    if state["quiet"]:
        return
    console = Console(soft_wrap=False)
    console.print(_counts(result))
    if result.failed:
        console.print(_failures(result.failed))
    if result.pack:
        say(f"class pack: {result.pack}" + ("" if result.pack_built else " (up to date)"), err=False)


def _counts(result):
    from rich.table import Table

    left = [f"row {item.row} {item.name} ({item.status})" for item in result.left_out]
    table = Table(title=cell(f"{result.roster.name} -> {result.out_dir}"), title_justify="left")
    table.add_column("")
    table.add_column("handouts", justify="right")
    table.add_column("rows", overflow="fold")
    table.add_row("built", str(len(result.built)), "")
    table.add_row("up to date", str(len(result.up_to_date)), "")
    table.add_row("left out", str(len(left)), cell("; ".join(left[:SHOWN]) + (" ..." if len(left) > SHOWN else "")))
    table.add_row("failed", str(len(result.failed)), "", style="red" if result.failed else None)
    return table


def _failures(failures):
    """Rows that failed for the same reason share a line: 'rows 4, 7-9 | 4 clients | reason'."""
    from rich.table import Table

    reasons: dict[str, list] = {}
    for failure in failures:
        problem = failure.problem
        reason = (f"{problem.field}: " if problem.field else "") + problem.message
        reasons.setdefault(reason + (f" (hint: {problem.hint})" if problem.hint else ""), []).append(failure)
    table = Table(title="failed rows", title_justify="left")
    for column in ("row", "client", "reason"):
        table.add_column(column, overflow="fold")
    for reason, group in reasons.items():
        who = group[0].name if len(group) == 1 else f"{len(group)} clients"
        table.add_row(_ranges([failure.row for failure in group]), cell(who), cell(reason))
    return table


def _ranges(rows: list[int]) -> str:
    """[3, 4, 5, 9] -> '3-5, 9'."""
    spans: list[list[int]] = []
    for row in sorted(rows):
        if spans and row == spans[-1][1] + 1:
            spans[-1][1] = row
        else:
            spans.append([row, row])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in spans)


def _json(result) -> None:
    outputs = [{"path": path, "kind": "pdf", "status": "built"} for path in result.built]
    outputs += [{"path": path, "kind": "pdf", "status": "up to date"} for path in result.up_to_date]
    if result.pack:
        outputs.append({"path": result.pack, "kind": "pack", "status": "built" if result.pack_built else "up to date"})
    report("batch", outputs, errors=[failure.problem for failure in result.failed], ok=result.ok,
           details={"left_out": [vars(item) for item in result.left_out],
                    "failed": [{"row": failure.row, "client": failure.name} for failure in result.failed]})
