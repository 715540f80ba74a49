"""A class: drop a roster, see how it is read, build it, take the pack and the clients' files.

The roster is read by ``roster.read_roster`` and built by
``batch.build_batch``, exactly as ``handouts roster`` and ``handouts batch``
do, into the class's own folder under the studio's output/. The dropped
file is held in memory and written only into a temporary folder while it is
read, so nothing of it lands in the studio folder; its own name stands in
the messages, as it would on the command line.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import tempfile
import zipfile
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse, RedirectResponse, StreamingResponse

from handouts.batch.roster import MEANING, read_roster
from handouts.batch.run import build_batch
from handouts.build import DEFAULT_CONTENT, DEFAULT_LANG
from handouts.cli.options import parse_date, parse_paper
from handouts.content.load import load_studio
from handouts.errors import HandoutError, Problem, bug_line
from handouts.layout.templating import template_names
from handouts.terminal import shown
from handouts.web.desk import Batch, Upload, roster_file
from handouts.web.forms import choices, first_choice, placed, read_content, read_option, text
from handouts.web.guard import Refused
from handouts.web.pages import by_field, page, problem_lines

#: The longest name a dropped file keeps; the rest is cut.
MAX_NAME = 100
#: Seconds "Build" waits for the class before showing its progress instead.
WAIT = 1.5
BUILD_FIELDS = ("content", "template", "paper", "class_name", "date", "practice_log")

log = logging.getLogger("handouts.serve")


def upload_name(filename: str | None) -> str:
    """A dropped file's own name, without any folder it names or a leading dot ('../x.csv' -> 'x.csv')."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip().lstrip(".")[:MAX_NAME].strip()
    return name or "roster.csv"


def renamed(problems, copy: Path, upload: Upload) -> list[Problem]:
    """Problems that name the temporary copy of a roster, naming the dropped file instead."""
    return [dataclasses.replace(p, file=upload.name) if p.file and str(p.file) == str(copy) else p
            for p in problems]


def read(upload: Upload):
    """How the roster reads: a summary for the page, or the problems that stop it (on the render thread)."""
    with roster_file(upload) as path:
        try:
            roster = read_roster(path)
            roster.require_clients()
        except HandoutError as error:
            return None, renamed(error.problems, path, upload)
    layouts = [(client, "large-print" if client.large_print else client.template or "default")
               for client in roster.clients]
    return {"name": upload.name, "kind": roster.kind, "encoding": roster.encoding, "delimiter": roster.delimiter,
            "columns": [(header, MEANING[name]) for name, header in roster.columns.items()],
            "ignored": roster.ignored, "clients": layouts,
            "not_printed": roster.not_printed()}, []


async def class_page(request):
    """GET /class: the drop zone."""
    return page(request, "class.html", roster=None, upload="", values={}, problems={}, **_options(request))


def _options(request) -> dict:
    project = request.app.state.project
    return {"choices": choices(project), "templates": template_names(project),
            "first": first_choice(project, f"{DEFAULT_CONTENT}.{DEFAULT_LANG}")}


async def dropped(request, form):
    """POST /class: a roster dropped (or chosen): how it reads, and the form to build it."""
    app = request.app.state
    sent = form.get("roster")
    if sent is None or isinstance(sent, str) or not sent.filename:
        return page(request, "class.html", 422, roster=None, upload="", values={},
                    problems={"roster": ["no roster was dropped (hint: drop a CSV or Excel file on the page, "
                                         "or choose one)"]}, **_options(request))
    upload = Upload(upload_name(sent.filename), await sent.read())
    summary, problems = await app.desk.renderer.run(read, upload)
    if summary is None:
        return page(request, "class.html", 422, roster=None, upload="", values={},
                    problems={"roster": problem_lines(problems)}, **_options(request))
    studio = load_studio(app.project.studio_file())
    return page(request, "class.html", roster=summary, upload=app.desk.uploads.add(upload),
                values={"practice_log": "1" if studio.practice_log else ""}, problems={}, **_options(request))


async def start(request, form):
    """POST /class/build: build the class in the background; its page shows the progress."""
    app = request.app.state
    upload_id = text(form, "upload") or ""
    upload = app.desk.uploads.get(upload_id)
    values = {name: text(form, name) or "" for name in BUILD_FIELDS}
    if upload is None:
        return page(request, "class.html", 422, roster=None, upload="", values=values,
                    problems={"roster": ["this roster is no longer held here (hint: drop it on the page again)"]},
                    **_options(request))
    try:
        options = _batch_options(app.project, form)
    except HandoutError as error:
        summary, _ = await app.desk.renderer.run(read, upload)
        return page(request, "class.html", 422, roster=summary, upload=upload_id, values=values,
                    problems=by_field(placed(app.project, error, None)), **_options(request))
    batch = Batch(upload)
    batch_id = app.desk.batches.add(batch)
    building = asyncio.wrap_future(app.desk.renderer.submit(run_batch, app, batch, options))
    await asyncio.wait({building}, timeout=WAIT)  # a small class lands on its result, a large one on its progress
    return RedirectResponse(f"/class/batches/{batch_id}", 303)


def _batch_options(project, form) -> dict:
    """The build form's values as ``build_batch``'s keyword arguments, checked as ``handouts batch`` checks them."""
    content = read_content(project, text(form, "content"))
    template = text(form, "template")
    return {"content": content.id, "lang": content.lang, "template": template.lower() if template else None,
            "paper": read_option(parse_paper, text(form, "paper"), "--paper"),
            "class_name": text(form, "class_name"), "date": read_option(parse_date, text(form, "date"), "--date"),
            "practice_log": form.get("practice_log") == "1"}


def run_batch(app, batch: Batch, options: dict) -> None:
    """Build the class (on the render thread), as ``handouts batch`` would, and keep what it made by id."""
    try:
        with roster_file(batch.upload) as path:
            try:
                report = build_batch(path, project=app.project, progress=batch.progress, **options)
            except HandoutError as error:
                batch.problems = renamed(error.problems, path, batch.upload)
                return
            report.failed = [dataclasses.replace(row, problem=renamed([row.problem], path, batch.upload)[0])
                             for row in report.failed]
            report.warnings = renamed(report.warnings, path, batch.upload)
        batch.report = report
        if report.pack and report.pack.is_file():
            batch.pack_id = app.desk.files.add(report.pack)
        if report.clients:
            batch.clients_id = app.desk.files.add(report.clients)
        if app.settings.verbose:
            log.info(shown(f"class built into {report.out_dir}: {len(report.built)} built, "
                           f"{len(report.up_to_date)} up to date, {len(report.failed)} failed"))
    except Exception as error:  # a bug: one line in the log, never its values
        log.error(bug_line(error))
        batch.problems = [Problem(bug_line(error))]
    finally:
        batch.finished = True


def _batch(request) -> Batch:
    """The class the address names; a page saying so when it is not one of ours."""
    batch = request.app.state.desk.batches.get(request.path_params["batch"])
    if batch is None:
        raise Refused(404, "no class of that id was built here", "build it again from the class page")
    return batch


async def batch_page(request):
    """GET /class/batches/ID: the progress of a class, then what was made and which rows failed."""
    batch = _batch(request)
    report = batch.report
    failed = [(row.row, row.name, str(dataclasses.replace(row.problem, file=None, line=None, column=None)))
              for row in (report.failed if report else [])]
    return page(request, "batch.html", batch=batch, report=report, failed=failed, batch_id=request.path_params["batch"],
                problems=problem_lines(batch.problems), warnings=problem_lines(report.warnings if report else []))


async def progress(request):
    """GET /class/batches/ID/progress: how far the class is (JSON, for the page's script)."""
    batch = _batch(request)
    return JSONResponse({"done": batch.done, "total": batch.total, "finished": batch.finished})


async def clients_zip(request):
    """GET /class/batches/ID/clients.zip: every client's handout and clients.csv, in one zip."""
    batch = _batch(request)
    report = batch.report
    if report is None:
        raise Refused(409, "this class has no files yet", "wait until it is built")
    files = [*report.built, *report.up_to_date, *([report.clients] if report.clients else [])]
    archive = await run_in_threadpool(_zip, files)
    name = f"{report.out_dir.name}-clients.zip"
    return StreamingResponse(_chunks(archive), media_type="application/zip",
                             headers={"content-disposition": f'attachment; filename="{name}"'})


def _zip(files):
    """The files in a zip, in a temporary file (a class of a thousand is larger than memory should hold)."""
    archive = tempfile.TemporaryFile()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as bundle:  # PDFs are compressed already
        for path in files:
            if path.is_file():
                bundle.write(path, path.name)
    archive.seek(0)
    return archive


def _chunks(archive, size: int = 256 * 1024):
    with archive:
        while chunk := archive.read(size):
            yield chunk
