"""Every command, the same way: global options before or after it, one JSON shape, every ending one line.

EXAMPLES holds a working invocation of every command the app registers; a
new command (``roster``) fails ``test_every_command_has_an_example`` until it
gets one here, and then every test below covers it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from handouts.cli import app

from conftest import ROOT

runner = CliRunner()
PROBLEM_KEYS = {"severity", "file", "line", "column", "field", "message", "hint"}
RECORD_KEYS = {"command", "ok", "outputs", "warnings", "errors", "details"}


def command_paths(command, prefix=()) -> list[tuple[str, ...]]:
    found = [prefix] if prefix else []
    for name, sub in getattr(command, "commands", {}).items():
        found += command_paths(sub, prefix + (name,))
    return found


COMMANDS = command_paths(typer.main.get_command(app))


@pytest.fixture
def place(tmp_path, monkeypatch):
    """A folder to work in (the current one), a roster of two clients, and no real watching."""
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "class.csv").write_text("First Name,Last Name,Email\nAna,García,ana@example.org\n"
                                        "Zoë,Łukasz,zoe@example.org\n", encoding="utf-8")
    monkeypatch.setattr("watchfiles.watch", lambda *paths, **options: iter(()))
    monkeypatch.setattr("uvicorn.Server.run", lambda server, sockets=None: None)  # serve: bound, then no serving
    return tmp_path


#: A working run of each command (paths relative to ``place``).
EXAMPLES = {
    ("build",): ["build", "--out", "out"],
    ("batch",): ["batch", "class.csv", "--out", "out", "--jobs", "1"],
    ("check",): ["check", str(ROOT / "tests" / "data" / "content" / "base.en.yaml")],
    ("init",): ["init", "new-studio", "--name", "New Studio"],
    ("watch",): ["watch", "--out", "out"],
    ("templates",): ["templates"],
    ("templates", "list"): ["templates", "list"],
    ("templates", "show"): ["templates", "show", "classic", "--out", "out"],
    ("preview",): ["preview", "--template", "cue-card", "--out", "out"],
    ("roster",): ["roster", "class.csv"],
    ("serve",): ["serve", "--port", "0"],
}


def test_every_command_has_an_example():
    assert set(COMMANDS) == set(EXAMPLES), "add a working invocation of the new command to EXAMPLES"


def records(result) -> list[dict]:
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def assert_shape(record: dict, command: str) -> None:
    assert set(record) == RECORD_KEYS and record["command"] == command
    assert isinstance(record["ok"], bool) and isinstance(record["details"], dict)
    for output in record["outputs"]:
        assert {"path", "kind"} <= set(output) and Path(output["path"]).exists(), output
    for problem in record["warnings"] + record["errors"]:
        assert set(problem) == PROBLEM_KEYS


@pytest.mark.parametrize("path", sorted(EXAMPLES), ids=" ".join)
def test_json_before_or_after_the_command_is_one_record_of_one_shape(path, place):
    before = runner.invoke(app, ["--json", *EXAMPLES[path]])
    after = runner.invoke(app, [*EXAMPLES[path], "--json"])
    assert before.exit_code == after.exit_code == 0, before.output + after.output
    first, second = records(before), records(after)
    assert len(first) == len(second) == 1
    assert_shape(first[0], " ".join(path))
    assert first[0]["ok"] is True and first[0]["errors"] == []
    for record in (first[0], second[0]):
        record["details"].pop("seconds", None)  # a watch's rebuild time
        record["details"].pop("url", None)  # serve --port 0: a free port each time
        for output in record["outputs"]:
            output.pop("status", None)  # a batch run again keeps what is up to date
    if path != ("init",):  # the second init finds the files of the first
        assert first[0] == second[0]


@pytest.mark.parametrize("path", sorted(EXAMPLES), ids=" ".join)
def test_quiet_and_verbose_after_the_command(path, place):
    quiet = runner.invoke(app, [*EXAMPLES[path], "-q"])
    assert quiet.exit_code == 0 and quiet.stdout == "", quiet.output
    verbose = runner.invoke(app, [*EXAMPLES[path], "--verbose"])
    assert verbose.exit_code == 0, verbose.output
    assert "studio folder: " in verbose.stderr or path == ("roster",)  # a roster is read the same anywhere
    assert verbose.stderr.splitlines()[-1].startswith("took ")
    assert runner.invoke(app, [*EXAMPLES[path], "-q", "-v"]).exit_code == 2


def test_verbose_says_more_for_a_batch(place):
    plain = runner.invoke(app, EXAMPLES[("batch",)])
    verbose = runner.invoke(app, ["-v", *EXAMPLES[("batch",)]])
    assert plain.exit_code == verbose.exit_code == 0
    extra = [line for line in verbose.stderr.splitlines() if line not in plain.stderr.splitlines()]
    assert extra[0] == "studio folder: none (the bundled defaults)" and extra[-1].startswith("took ")


def test_project_after_the_command_is_the_studio_folder(place):
    assert runner.invoke(app, ["init", "studio", "--name", "After Studio"]).exit_code == 0
    elsewhere = place / "elsewhere"
    elsewhere.mkdir()
    # A build writes to the studio's output folder, a batch to its class's folder there (named after the roster).
    for args, folder in ((["build"], "output"), (["batch", str(place / "class.csv"), "--jobs", "1"], "output/class")):
        result = runner.invoke(app, [*args, "--project", str(place / "studio"), "--json"])
        assert result.exit_code == 0, result.output
        paths = [Path(output["path"]) for output in records(result)[0]["outputs"]]
        assert paths and all(path.parent == place / "studio" / folder for path in paths)


def test_debug_after_the_command_shows_the_traceback(place):
    result = runner.invoke(app, ["build", "--template", "nope", "--debug"])
    assert result.exit_code == 1 and type(result.exception).__name__ == "TemplateError"
    plain = runner.invoke(app, ["build", "--template", "nope"])
    assert plain.exception is None or isinstance(plain.exception, SystemExit)


def test_a_global_option_is_never_shadowed_by_a_command_of_its_own():
    root = typer.main.get_command(app)
    global_opts = {opt for param in root.params for opt in param.opts} - {"--version", "--install-completion",
                                                                           "--show-completion", "-h", "--help"}

    def walk(command):
        yield command
        for sub in getattr(command, "commands", {}).values():
            yield from walk(sub)

    for command in walk(root):
        names = [opt for param in command.params for opt in param.opts]
        assert global_opts <= set(names), command.name
        assert len(names) == len(set(names)), f"{command.name} declares an option twice: {names}"


def test_an_error_is_a_json_record_too(place):
    result = runner.invoke(app, ["build", "--template", "nope", "--json"])
    assert result.exit_code == 1
    [record] = records(result)
    assert_shape(record, "build")
    assert record["ok"] is False and "unknown template 'nope'" in record["errors"][0]["message"]
    usage = runner.invoke(app, ["build", "--paper", "a5", "--json"])
    assert usage.exit_code == 2
    [record] = records(usage)
    assert record["errors"][0]["field"] == "--paper" and record["errors"][0]["hint"] == "use letter or a4"


def test_a_batch_with_a_failed_row_lists_it_under_errors(place):
    (place / "class.csv").write_text("First Name,Last Name,Language\nAna,García,fr\nZoë,Łukasz,en\n", encoding="utf-8")
    result = runner.invoke(app, [*EXAMPLES[("batch",)], "--json"])
    assert result.exit_code == 1
    [record] = records(result)
    assert_shape(record, "batch")
    assert record["ok"] is False and [output["kind"] for output in record["outputs"]] == ["pdf", "pack", "clients"]
    [error] = record["errors"]
    assert (error["file"], error["line"]) == ("class.csv", 2) and "language 'fr'" in error["message"]
    assert record["details"]["failed"] == [{"row": 2, "client": "Ana García", "email": None}]


def test_handouts_alone_prints_the_help():
    for args in ([], ["-q"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0 and "Usage:" in result.stdout and "build" in result.stdout
        assert result.stderr == ""


def test_ctrl_c_during_a_build_says_nothing_was_left(place, monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("handouts.build.render_pdf", interrupted)
    result = runner.invoke(app, ["build", "--out", "out"])
    assert result.exit_code == 130
    assert result.stderr == "interrupted: nothing half-written was left behind\n" and result.stdout == ""
    assert not (place / "out").exists() or not list((place / "out").iterdir())


def test_ctrl_c_at_an_init_prompt_in_a_terminal(tmp_path):
    """A real terminal: ^C at the first question ends with the line and 130, and writes nothing."""
    import os
    import pty
    import select
    import signal
    import sys
    import time

    pid, fd = pty.fork()
    if pid == 0:  # the child: handouts init at a terminal, Ctrl-C not ignored (as a batch job would have it)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.chdir(tmp_path)
        os.execv(sys.executable, [sys.executable, "-m", "handouts", "init", "studio"])
    output, deadline = b"", time.monotonic() + 60

    def read() -> bool:
        """Read what the terminal shows; False once the child has closed it."""
        if select.select([fd], [], [], 1)[0]:
            try:
                chunk = os.read(fd, 1024)
            except OSError:
                return False
            nonlocal output
            output += chunk
            return bool(chunk)
        return True

    try:
        while b"Studio name" not in output and time.monotonic() < deadline and read():
            pass
        time.sleep(0.3)  # a person reads the question first
        for _ in range(3):  # Ctrl-C, as the terminal sends it (again if the first came before the read began)
            os.write(fd, b"\x03")
            pressed = time.monotonic()
            while time.monotonic() < min(deadline, pressed + 5) and read():
                pass
            if b"interrupted" in output or time.monotonic() >= deadline:
                break
        while time.monotonic() < deadline and read():
            pass
    finally:
        if time.monotonic() >= deadline:
            os.kill(pid, 9)
        _, status = os.waitpid(pid, 0)
        os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 130, output
    assert output.decode().splitlines()[-1] == "interrupted: nothing half-written was left behind"
    assert "Aborted" not in output.decode() and not (tmp_path / "studio").exists()


def test_open_without_a_viewer_is_one_warning(place, monkeypatch):
    monkeypatch.setenv("PATH", str(place))  # no xdg-open (nor open) to be found
    result = runner.invoke(app, ["build", "--out", "out", "--open"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith("constructive-rest.en.classic.letter.pdf")
    [line] = result.stderr.splitlines()
    assert line.startswith("warning: could not open out/constructive-rest.en.classic.letter.pdf: this computer has no ")
    assert line.endswith("(hint: open the file yourself)")


@pytest.mark.parametrize("code, warned", [(0, False), (3, True)])
def test_open_asks_the_desktop_and_tells_when_it_found_no_viewer(place, monkeypatch, code, warned):
    import sys

    launcher = place / ("open" if sys.platform == "darwin" else "xdg-open")
    launcher.write_text(f"#!/bin/sh\necho \"$1\" > {place / 'asked'}\necho 'no method available' >&2\nexit {code}\n")
    launcher.chmod(0o755)
    monkeypatch.setenv("PATH", str(place))
    result = runner.invoke(app, ["build", "--out", "out", "--open"])
    assert result.exit_code == 0, result.output
    assert (place / "asked").read_text().strip() == "out/constructive-rest.en.classic.letter.pdf"
    assert ("found no program for .pdf files" in result.stderr) is warned
    assert "no method available" not in result.output  # the launcher's own words stay off the screen
