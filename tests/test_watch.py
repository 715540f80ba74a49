"""`handouts watch`: a rebuild per change, a PNG of page 1, and no stop on errors."""

from __future__ import annotations

import json
import queue
import re
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner
from watchfiles import Change

from handouts.cli import app
from handouts.project import Project
from handouts.studio_init import init_studio
from handouts.watch import Target, _relevant, watch, watched_paths

from conftest import ROOT, pdf_text

TIMEOUT = 30
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def studio(tmp_path) -> Path:
    folder = tmp_path / "studio"
    init_studio(folder, name="Harbour Light Pilates")
    return folder


def next_rebuild(results: queue.Queue, change) -> object:
    """Make ``change`` until the watch reports a rebuild (the watcher may start a moment late)."""
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        change()
        try:
            return results.get(timeout=1.5)
        except queue.Empty:
            continue
    raise AssertionError(f"no rebuild within {TIMEOUT} s")


def test_watch_rebuilds_on_a_change_and_keeps_going_through_an_error(studio):
    content = studio / "content" / "constructive-rest.en.yaml"
    original = content.read_text(encoding="utf-8")
    results: queue.Queue = queue.Queue()
    stop = threading.Event()
    thread = threading.Thread(
        target=watch, args=(Target(Project(root=studio), "constructive-rest"), results.put),
        kwargs={"stop": stop, "max_rebuilds": 3, "debounce_ms": 50}, daemon=True,
    )
    thread.start()
    try:
        first = results.get(timeout=TIMEOUT)
        assert first.problems == () and first.pdf == studio / "output" / "constructive-rest.en.classic.letter.pdf"
        assert first.png == studio / "output" / "constructive-rest.en.classic.letter.png"
        assert first.png.read_bytes().startswith(PNG) and first.pages == 2

        broken = next_rebuild(results, lambda: content.write_text(
            original.replace("title: Constructive Rest", "title: [oops"), encoding="utf-8"))
        [problem] = broken.problems
        assert problem.file == content and "YAML syntax" in problem.message
        assert first.pdf.is_file()  # the last good PDF stays

        fixed = next_rebuild(results, lambda: content.write_text(
            original.replace("title: Constructive Rest", "title: Constructive Rest, Again"), encoding="utf-8"))
        assert fixed.problems == () and "Constructive Rest, Again" in pdf_text(fixed.pdf)
    finally:
        stop.set()
        thread.join(timeout=TIMEOUT)
    assert not thread.is_alive()


def test_only_sources_outside_the_output_folder_count(studio):
    accept = _relevant(studio / "output")
    assert accept(Change.modified, str(studio / "studio.yaml"))
    assert accept(Change.modified, str(studio / "templates" / "classic-notes" / "handout.rml.j2"))
    assert accept(Change.added, str(studio / "content" / "images" / "new.svg"))
    assert not accept(Change.modified, str(studio / "output" / "constructive-rest.en.classic.letter.png"))
    assert not accept(Change.added, str(studio / "output" / ".constructive-rest.en.classic.letter.pdf.x1.tmp"))
    assert not accept(Change.modified, str(studio / "notes.txt"))


def test_watched_paths(studio, tmp_path):
    assert watched_paths(Target(Project(root=studio), "constructive-rest")) == [studio.resolve()]
    elsewhere = tmp_path / "drafts" / "short.en.yaml"
    elsewhere.parent.mkdir()
    elsewhere.write_text((ROOT / "content" / "constructive-rest.en.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    bundled = Project()
    paths = watched_paths(Target(Project(root=None), str(elsewhere)))
    # In no particular order: the checkout and the temporary folder may be at any depth.
    assert elsewhere.parent.resolve() in paths
    assert bundled.bundled.resolve() / "templates" in paths or bundled.bundled.resolve() in paths


def test_the_cli_prints_a_status_line_per_rebuild(studio, monkeypatch):
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.chdir(studio)
    monkeypatch.setattr("watchfiles.watch", lambda *paths, **options: iter([{(Change.modified, "studio.yaml")}]))
    result = CliRunner().invoke(app, ["watch"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    for line in lines:
        assert re.fullmatch(r"\d\d:\d\d:\d\d built output/constructive-rest\.en\.classic\.letter\.pdf and "
                            r"constructive-rest\.en\.classic\.letter\.png \(2 pages\) in \d+\.\d\d s", line), line

    result = CliRunner().invoke(app, ["--json", "watch", "--template", "nope"])
    assert result.exit_code == 0
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == 2 and all("unknown template 'nope'" in r["errors"][0]["message"] for r in records)
    assert result.stderr.count("error: ") == 2
