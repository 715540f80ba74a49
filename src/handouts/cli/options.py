"""The options commands share, and how their values are read.

Each value is read by a function of ours rather than by Typer's converters,
so a wrong value is told in the words of the content errors (what is wrong,
and the fix) and never in a library's: a date is year-month-day, a paper or
template name may be written in any case, ``--out`` says whether it wants a
folder or a file.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Annotated, Optional

import typer

PAPERS = ("letter", "a4")
_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_NAME = re.compile(r"[a-z0-9][a-z0-9-]*")


class OptionError(typer.BadParameter):
    """A wrong option value: the message says what is wrong, ``hint`` how to write it."""

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.hint = hint


def parse_date(text: str) -> dt.date:
    """``2026-12-01``: year, month, day, as on the handout's own ``reviewed:`` line."""
    match = _DATE.fullmatch(text.strip())
    if not match:
        raise OptionError(f"'{text}' is not a date written year-month-day",
                          "write the year, the month, then the day, e.g. 2026-12-01")
    try:
        return dt.date(*map(int, match.groups()))
    except ValueError:
        raise OptionError(f"'{text}' is not a day of the calendar",
                          "check the month (1 to 12) and the day; year-month-day, e.g. 2026-12-01") from None


def parse_paper(text: str) -> str:
    """``letter`` or ``a4``, in any case (``A4``)."""
    paper = text.strip().lower()
    if paper not in PAPERS:
        raise OptionError(f"'{text}' is not a paper size this tool prints on", "use letter or a4")
    return paper


def parse_name(text: str) -> str:
    """A template's name in any case (``Classic`` is ``classic``); whether it exists is the library's to say."""
    name = text.strip().lower()
    if not _NAME.fullmatch(name):
        raise OptionError(f"'{text}' is not a template name",
                          "template names are letters, digits and hyphens; `handouts templates` lists them")
    return name


def parse_lang(text: str) -> str:
    """A language code or name in any case, as a roster's column reads it: 'ES', 'Spanish', 'es-MX'."""
    from handouts.batch.roster import language

    try:
        return language(text)
    except ValueError as error:
        raise OptionError(str(error), "use a code such as en or es, or a name such as Spanish") from None


def parse_folder(text: str) -> Path:
    """A folder to write into: not an existing file, and not a name ending in ``.pdf``."""
    path = Path(text)
    if not text.strip():
        raise OptionError("is empty", "give a folder, e.g. --out output/")
    if path.suffix.lower() == ".pdf":
        raise OptionError(f"'{text}' names a PDF file, but this command writes its files into a folder",
                          "give a folder, e.g. --out output/tuesday/")
    if path.is_file():
        raise OptionError(f"'{text}' is a file, not a folder", "give a folder, e.g. --out output/")
    return path


def parse_output(text: str) -> Path:
    """A folder, or a ``.pdf`` file to write exactly (``build --out handout.pdf``)."""
    path = Path(text)
    if path.suffix.lower() == ".pdf":
        if path.is_dir():
            raise OptionError(f"'{text}' is a folder", "give another file name, or --out with that folder")
        return path
    if path.is_file():
        raise OptionError(f"'{text}' is a file, not a folder or a .pdf",
                          "give a folder (--out output/) or a PDF file name (--out handout.pdf)")
    return parse_folder(text)


def _completion_project(ctx: typer.Context):
    from handouts.project import Project

    root = ctx.find_root()
    project = root.params.get("project") or (ctx.params.get("project") if ctx is not root else None)
    return Project.discover(project)


def complete_template(ctx: typer.Context, incomplete: str) -> list[str]:
    """Template names for shell completion (the studio's and the built-in ones)."""
    from handouts.errors import HandoutError
    from handouts.layout.templating import template_names

    try:
        return [name for name in template_names(_completion_project(ctx)) if name.startswith(incomplete)]
    except HandoutError:
        return []


def complete_content(ctx: typer.Context, incomplete: str) -> list[str]:
    """Content ids for shell completion (``constructive-rest``, in any language)."""
    from handouts.errors import HandoutError

    try:
        ids = {name.rsplit(".", 1)[0] for name in _completion_project(ctx).content_ids()}
    except HandoutError:
        return []
    return sorted(i for i in ids if i.startswith(incomplete))


ContentArg = Annotated[
    Optional[str],
    typer.Argument(help="A content id (constructive-rest) or a path to a content YAML file.", show_default=False,
                   autocompletion=complete_content, metavar="CONTENT"),
]
TemplateOpt = Annotated[
    Optional[str],
    typer.Option("--template", "-t", help="Template name, in any case (see `handouts templates`).",
                 parser=parse_name, metavar="NAME", autocompletion=complete_template),
]
PaperOpt = Annotated[
    Optional[str],
    typer.Option("--paper", help="Paper size, letter or a4 (any case); default from studio.yaml.",
                 parser=parse_paper, metavar="letter|a4"),
]
LangOpt = Annotated[
    Optional[str],
    typer.Option("--lang", help="Content language, a code or a name in any case: en, es, ES, Spanish, es-MX.",
                 parser=parse_lang, metavar="CODE"),
]
OutOpt = Annotated[
    Optional[Path],
    typer.Option("--out", "-o", help="Output folder; default output/.", parser=parse_folder, metavar="DIR"),
]
OutFileOpt = Annotated[
    Optional[Path],
    typer.Option("--out", "-o", help="Output folder (default output/), or a .pdf file to write exactly.",
                 parser=parse_output, metavar="DIR|FILE.pdf"),
]
DateOpt = Annotated[
    Optional[dt.date],
    typer.Option("--date", help="Date printed on the handout, year-month-day (2026-12-01); default today.",
                 parser=parse_date, metavar="YYYY-MM-DD"),
]
StrictOpt = Annotated[bool, typer.Option("--strict", help="Fail on warnings too (nothing is written).")]
PracticeLogOpt = Annotated[
    Optional[bool],
    typer.Option("--practice-log/--no-practice-log",
                 help="Add a page to log a week of practice; default from studio.yaml.", show_default=False),
]
