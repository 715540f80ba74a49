"""The front desk's web application: its routes, and the guard every request passes first.

Every route that changes something is declared with :func:`action`, which
reads its form through ``guard.checked_form`` (CSRF token, origin, sizes), so
no such route can forget the check.
"""

from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.responses import FileResponse, RedirectResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from handouts.content.load import load_studio
from handouts.project import Project
from handouts.web import checks, classes, handout
from handouts.web.desk import Desk
from handouts.web.guard import Guard, Refused, Settings, checked_form, cookie, same
from handouts.web.pages import page

STATIC = Path(__file__).resolve().parent / "static"


def action(path: str, endpoint, *, files: int = 0) -> Route:
    """A POST route whose endpoint gets ``(request, form)`` once the form passed the guard's checks."""

    async def checked(request):
        return await endpoint(request, await checked_form(request, files=files))

    checked.__name__ = endpoint.__name__
    return Route(path, checked, methods=["POST"])


async def download(request):
    """GET /files/ID: a file this server built, by its id (``?view=print`` opens it in the browser's viewer)."""
    served = request.app.state.desk.files.get(request.path_params["file"])
    if served is None:
        raise Refused(404, "no file of that id was built here",
                      "build it again: the page gives out only the files it built, by their id")
    shown = "inline" if request.query_params.get("view") == "print" else "attachment"
    return FileResponse(served.path, media_type=served.media_type, filename=served.path.name,
                        content_disposition_type=shown)


async def login_page(request):
    """GET /login: the sign-in form, when the page listens beyond this computer."""
    return page(request, "login.html", problem=None)


async def login(request, form):
    """POST /login: the token printed at start, typed in; a cookie keeps it for this browser."""
    settings = request.app.state.settings
    given = str(form.get("token") or "").strip()
    if settings.token is None or not same(given, settings.token):
        return page(request, "login.html", 401, problem="that is not the token `handouts serve` printed "
                    "(hint: copy it from the window where the page was started)")
    answer = RedirectResponse("/", 303)
    answer.headers.append("set-cookie", cookie(settings.auth_cookie, settings.sign("auth", settings.token)))
    return answer


async def no_route(request, error: HTTPException):
    """An address the page does not have (404), or a visit to one that takes a form (405): said in words."""
    if error.status_code == 404:
        message, hint = "there is no page at this address", "start from the front desk's page, /"
    else:
        message, hint = f"this address does not answer a {request.method[:10]} request", "use the page's own forms"
    return page(request, "problem.html", error.status_code, status=error.status_code, message=message, hint=hint)


ROUTES = [
    Route("/", handout.home),
    action("/", handout.submit),
    action("/preview", handout.preview),
    Route("/layouts", handout.layouts),
    Route("/layouts/{name}.png", handout.layout_picture),
    Route("/files/{file}", download),
    Route("/class", classes.class_page),
    action("/class", classes.dropped, files=1),
    action("/class/build", classes.start),
    Route("/class/batches/{batch}", classes.batch_page),
    Route("/class/batches/{batch}/progress", classes.progress),
    Route("/class/batches/{batch}/clients.zip", classes.clients_zip),
    Route("/check", checks.check_page),
    Route("/login", login_page),
    action("/login", login),
    Mount("/static", StaticFiles(directory=STATIC), name="static"),
]


def create_app(project: Project, settings: Settings | None = None) -> Starlette:
    """The page for ``project``'s studio folder (a broken studio.yaml is an error here, before it serves)."""
    settings = settings or Settings()
    desk = Desk()

    @asynccontextmanager
    async def lifespan(app):
        yield
        desk.renderer.close()  # a class being built is finished first: nothing is left half-written

    app = Starlette(routes=ROUTES, middleware=[Middleware(Guard, settings=settings)], lifespan=lifespan,
                    exception_handlers={HTTPException: no_route})
    app.state.project, app.state.settings, app.state.desk = project, settings, desk
    app.state.studio_name = load_studio(project.studio_file()).name
    return app
