"""``handouts init``: a studio folder of its own."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from handouts.cli.common import PaperSize, app, fail, report


def _color(value: Optional[str]) -> Optional[str]:
    from handouts.branding import parse_color

    if value is None:
        return None
    try:
        return parse_color(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


def _paper(value: str) -> str:
    if value not in {size.value for size in PaperSize}:
        raise typer.BadParameter("use letter or a4")
    return value


@app.command()
def init(
    folder: Annotated[Path, typer.Argument(help="The studio folder to create or complete.", metavar="DIR", file_okay=False)] = Path("."),
    name: Annotated[Optional[str], typer.Option("--name", metavar="NAME", help="Your studio's name, printed on every handout.")] = None,
    paper: Annotated[Optional[PaperSize], typer.Option("--paper", help="Paper size (default letter).")] = None,
    color: Annotated[
        Optional[str], typer.Option("--color", metavar="HEX", help="Main colour as hex, e.g. #1F4E5F.", callback=_color),
    ] = None,
) -> None:
    """Make a studio folder: studio.yaml, content to edit, a template, a roster. Never overwrites a file."""
    from handouts.errors import HandoutError
    from handouts.studio_init import default_name, init_studio

    paper = paper.value if paper else None
    if sys.stdin.isatty() and sys.stdout.isatty():
        # Ask only a person at a terminal, never a script or CI.
        name = name or typer.prompt("Studio name", default=default_name(folder))
        paper = paper or typer.prompt("Paper size (letter or a4)", default="letter", value_proc=_paper)
        color = color or typer.prompt("Main colour (hex)", default="#1F4E5F", value_proc=_color)
    try:
        done = init_studio(folder, name=name or default_name(folder), paper=paper or "letter", color=color)
    except HandoutError as error:
        raise fail(error) from None
    lines = [f"created {folder / path}" for path in done.written]
    lines += [f"skipped {folder / path} (already there)" for path in done.skipped]
    where = "" if folder.resolve() == Path.cwd().resolve() else f"cd {folder} && "
    lines.append(f"next: {where}handouts build")
    report("init", [{"path": folder / path} for path in done.written], lines=lines, warnings=done.warnings,
           folder=folder.resolve(), skipped=[str(folder / path) for path in done.skipped])
