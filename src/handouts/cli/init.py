"""``handouts init``: a studio folder of its own."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Optional

import typer

from handouts.cli.common import app, detail, report, say
from handouts.cli.options import OptionError, parse_paper


def parse_color(text: str) -> str:
    """A colour as ``#1F4E5F`` (``1f4e5f`` and ``#1F4E5F`` both work)."""
    from handouts.layout.branding import parse_color as read

    try:
        return read(text)
    except ValueError:
        raise OptionError(f"'{text}' is not a colour written in hex",
                          "write six hex digits, e.g. #1F4E5F (a colour picker shows them)") from None


def parse_studio_name(text: str) -> str:
    """The studio's name as it will print: some text, and no control characters (a stray escape key)."""
    import unicodedata

    from handouts.terminal import shown

    name = " ".join(text.split())
    if not name:
        raise OptionError("is empty", 'give the name printed on every handout, e.g. --name "Harbour Light Movement"')
    if any(unicodedata.category(char) == "Cc" for char in name):
        raise OptionError(f"'{shown(name)}' holds a control character, which cannot be printed",
                          "type the name again, without the stray key")
    return name


def _ask(question: str, default: str, parse: Callable[[str], str]) -> str:
    """Ask at the terminal until the answer reads; a wrong one is told as the option's error would be."""
    while True:
        answer = typer.prompt(question, default=default)
        try:
            return parse(answer)
        except OptionError as error:
            say(f"error: {error.message} (hint: {error.hint})", color=typer.colors.RED)


@app.command()
def init(
    folder: Annotated[Path, typer.Argument(help="The studio folder to create or complete.", metavar="DIR")] = Path("."),
    name: Annotated[Optional[str], typer.Option("--name", metavar="NAME", parser=parse_studio_name,
                                                help="Your studio's name, printed on every handout.")] = None,
    paper: Annotated[Optional[str], typer.Option("--paper", metavar="letter|a4", parser=parse_paper,
                                                 help="Paper size, letter or a4 (default letter).")] = None,
    color: Annotated[
        Optional[str], typer.Option("--color", metavar="HEX", help="Main colour as hex, e.g. #1F4E5F.", parser=parse_color),
    ] = None,
) -> None:
    """Make a studio folder: studio.yaml, content to edit, a template, a roster. Never overwrites a file."""
    from handouts.errors import OutputError
    from handouts.studio_init import default_name, init_studio

    if folder.is_file():
        raise OutputError(f"{folder} is a file, not a folder", hint="give a new or existing folder, e.g. handouts init my-studio")
    if sys.stdin.isatty() and sys.stdout.isatty():
        # Ask only a person at a terminal, never a script or CI.
        name = name or _ask("Studio name", default_name(folder), parse_studio_name)
        paper = paper or _ask("Paper size (letter or a4)", "letter", parse_paper)
        color = color or _ask("Main colour (hex)", "#1F4E5F", parse_color)
    detail(f"studio folder: {folder.resolve()}")
    done = init_studio(folder, name=name or default_name(folder), paper=paper or "letter", color=color)
    lines = [f"created {folder / path}" for path in done.written]
    lines += [f"skipped {folder / path} (already there)" for path in done.skipped]
    where = "" if folder.resolve() == Path.cwd().resolve() else f"cd {folder} && "
    lines.append(f"next: {where}handouts build")
    report("init", [{"path": folder / path, "kind": "file"} for path in done.written], lines=lines,
           warnings=done.warnings, details={"folder": folder.resolve(), "skipped": [str(folder / p) for p in done.skipped]})
