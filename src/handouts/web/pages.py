"""The page templates (Jinja, autoescaped) and how a view answers with one.

Pages are fixed templates shipped in the package; every value from a form
or a roster reaches them as data, escaped, and is never read as a template.
"""

from __future__ import annotations

from pathlib import Path

import jinja2
from starlette.responses import HTMLResponse

from handouts.errors import Problem

HERE = Path(__file__).resolve().parent
ENV = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True,
                         undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
#: The three jobs of the front desk, in the order of the page's menu.
MENU = (("/", "One handout"), ("/class", "A class"), ("/check", "Check"))


def page(request, name: str, code: int = 200, **values) -> HTMLResponse:
    """Page ``name`` (a template in templates/) for ``request``, with the menu and the form's CSRF token."""
    html = ENV.get_template(name).render(menu=MENU, here=request.url.path,
                                         csrf=request.scope.get("state", {}).get("csrf", ""),
                                         studio=request.app.state.studio_name, **values)
    return HTMLResponse(html, status_code=code)


def problem_page(status: int, message: str, hint: str | None = None) -> HTMLResponse:
    """A page of its own for a request refused or gone wrong: what happened and what to do."""
    html = ENV.get_template("problem.html").render(menu=MENU, here="", csrf="", studio="", status=status,
                                                   message=message, hint=hint)
    return HTMLResponse(html, status_code=status)


def problem_lines(problems) -> list[str]:
    """Problems as the command line prints them, one line each (``file:line:col: field: message (hint: ...)``)."""
    return [str(problem) for problem in problems]


def by_field(problems: list[tuple[str | None, Problem]]) -> dict[str, list[str]]:
    """Problems grouped by the form field they are shown beside ('' for the form as a whole)."""
    grouped: dict[str, list[str]] = {}
    for name, problem in problems:
        grouped.setdefault(name or "", []).append(str(problem))
    return grouped
