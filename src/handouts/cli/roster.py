"""``handouts roster``: what a roster holds, before anything is built."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from handouts.cli.common import app, fail, problem_record, report, state

WIDTH = 80  # the tables fit a standard terminal, and a printed page


@app.command()
def roster(
    roster: Annotated[Path, typer.Argument(metavar="ROSTER", help="Class roster: CSV, .xlsx, .xls or .ods.",
                                           show_default=False)],
) -> None:
    """Show how ROSTER is read: its columns and what they mean, the clients it will print, the rows left out and why.

    Exits 1 when the roster has no clients to print.
    """
    from handouts.batch.roster import read_roster
    from handouts.errors import HandoutError

    try:
        read = read_roster(roster)
    except HandoutError as error:
        raise fail(error) from None
    try:
        read.require_clients()
        nobody = None
    except HandoutError as error:
        nobody = error
    if state["json"]:
        _json(read, nobody)
    elif not state["quiet"]:
        _show(read)
    if nobody is not None:
        if not state["json"]:
            fail(nobody)
        raise typer.Exit(1)


def _show(read) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from handouts.batch.roster import MEANING
    from handouts.cli.batch import shown_path
    from handouts.terminal import shown

    console = Console(width=min(WIDTH, Console().width), soft_wrap=False, highlight=False, markup=False, emoji=False)
    how = ", ".join(part for part in (read.kind, read.encoding and f"read as {read.encoding}",
                                      read.delimiter and f"delimiter {_delimiter(read.delimiter)}") if part)
    console.print(Text(f"{shown_path(read.file)}: {how}"), soft_wrap=True)  # a path is not broken in two
    columns = Table(title="columns", title_justify="left")
    columns.add_column("header", overflow="fold")
    columns.add_column("means", overflow="fold")
    for name, header in read.columns.items():
        columns.add_row(Text(shown(header, 60)), MEANING[name])
    for header in read.ignored:
        columns.add_row(Text(shown(header, 60)), Text("(ignored)", style="dim"))
    console.print(columns)
    clients = Table(title=f"clients to print: {len(read.clients)}", title_justify="left")
    clients.add_column("row", justify="right", no_wrap=True)
    clients.add_column("name", min_width=16, overflow="fold")  # a name is shown whole; a note may be cut
    for column in ("language", "layout"):
        clients.add_column(column, no_wrap=True)
    clients.add_column("note", overflow="ellipsis", no_wrap=True, max_width=24)
    for client in read.clients:
        layout = "large-print" if client.large_print else client.template or "default"
        clients.add_row(str(client.row), Text(shown(client.name, 60)), client.lang or "default", layout,
                        Text(shown(client.note or "", 40)))
    console.print(clients if read.clients else Text("clients to print: none"))
    _left_out(console, read)


def _left_out(console, read) -> None:
    from rich.table import Table
    from rich.text import Text

    from handouts.terminal import shown

    rows = read.not_printed()
    if not rows:
        return
    table = Table(title=f"rows left out: {len(rows)}", title_justify="left")
    table.add_column("row", justify="right")
    table.add_column("name", overflow="fold")
    table.add_column("why", overflow="fold")
    for row, name, why in rows:
        table.add_row(str(row), Text(shown(name or "(no name)", 60)), Text(shown(why, 300)))
    console.print(table)


def _delimiter(delimiter: str) -> str:
    return {"\t": "tab", ",": "comma", ";": "semicolon", "|": "bar"}.get(delimiter, repr(delimiter))


def _json(read, nobody) -> None:
    clients = [{"row": c.row, "name": c.name, "email": c.email, "lang": c.lang, "template": c.template,
                "large_print": c.large_print, "note": c.note} for c in read.clients]
    report("roster", [], errors=nobody.problems if nobody else [], ok=nobody is None, details={
        "roster": {"path": str(read.file), "kind": read.kind, "encoding": read.encoding, "delimiter": read.delimiter},
        "columns": read.columns, "ignored": read.ignored, "clients": clients,
        "left_out": [vars(item) for item in read.left_out],
        "problems": [{"row": p.row, "name": p.name, **problem_record(p.problem)} for p in read.problems]})
