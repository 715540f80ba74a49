"""One exception family the CLI knows how to print.

Every error a user can cause carries where it happened (file, line, column,
and a dotted field path) and a hint that says how to fix it, so the CLI can
print one line such as ``error: content/x.yaml:12:5: sidebar.title: field
required (hint: ...)`` instead of a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass
class Problem:
    """One thing wrong with an input, with its place."""

    message: str
    file: Path | str | None = None
    line: int | None = None
    column: int | None = None
    field: str | None = None
    hint: str | None = None
    severity: str = "error"

    def where(self) -> str:
        parts = [str(self.file)] if self.file else []
        if self.file and self.line:
            parts.append(str(self.line))
            if self.column:
                parts.append(str(self.column))
        return ":".join(parts)

    def __str__(self) -> str:
        text = self.message if not self.field else f"{self.field}: {self.message}"
        where = self.where()
        if where:
            text = f"{where}: {text}"
        if self.hint:
            text = f"{text} (hint: {self.hint})"
        return text


class HandoutError(Exception):
    """Base of every error the tool reports to the user as one line each."""

    def __init__(self, message: str, *, file=None, line=None, column=None, field=None, hint=None):
        super().__init__(message)
        self.problems = [Problem(message, file, line, column, field, hint)]

    @classmethod
    def collected(cls, problems: list[Problem]) -> "HandoutError":
        """Report several problems at once (all of a file's errors, not the first)."""
        error = cls(problems[0].message)
        error.problems = list(problems)
        return error

    def __str__(self) -> str:
        return "\n".join(str(problem) for problem in self.problems)


class ContentError(HandoutError):
    """A content, studio or roster file is malformed or incomplete."""


class TemplateError(HandoutError):
    """A template is missing, broken, or does not fit its content."""


class LayoutOverflowError(TemplateError):
    """Content does not fit a fixed layout (a panel, a card, the personal box)."""


class RenderError(HandoutError):
    """The page engine rejected the rendered RML or an image."""

    #: The line of the rendered RML it happened at, when the engine says.
    rml_line: int | None = None


class GlyphError(HandoutError):
    """A character that no bundled or studio font can draw."""


class OutputError(HandoutError):
    """An output path is unsafe or cannot be written."""


def bug_line(error: BaseException) -> str:
    """A bug as one line: its kind and the line of ours it came from, never the values it held.

    A bug's message may hold a roster's names, so it is left out; the
    command line prints this line, and the web page logs it.
    """
    from handouts.project import PACKAGE_DIR, is_inside

    where = "?"
    tb = error.__traceback__
    while tb is not None:
        file = Path(tb.tb_frame.f_code.co_filename)
        if is_inside(file, PACKAGE_DIR):  # our code, wherever the checkout or the install is
            where = f"{file.name}:{tb.tb_lineno}"
        tb = tb.tb_next
    return f"internal error: {type(error).__name__} in {where}; this is a bug, please report it"
