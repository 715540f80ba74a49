"""Everyday comfort: help for every command, --json, --quiet, --verbose, --open, completion."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from handouts.cli import app, common

runner = CliRunner()


def command_paths(command, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command and subcommand the app registers, as argument lists."""
    found = [prefix]
    for name, sub in getattr(command, "commands", {}).items():  # a group's subcommands
        found += command_paths(sub, prefix + (name,))
    return found


COMMANDS = command_paths(typer.main.get_command(app))


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch):
    monkeypatch.setenv("COLUMNS", "120")


def test_the_public_commands_are_registered():
    assert {("build",), ("init",), ("watch",)} <= set(COMMANDS)


@pytest.mark.parametrize("path", COMMANDS, ids=lambda path: " ".join(path) or "handouts")
@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_every_command_has_help(path, flag):
    result = runner.invoke(app, [*path, flag])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.stdout and "Traceback" not in result.output


def test_json_says_what_was_built(tmp_path):
    result = runner.invoke(app, ["--json", "build", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record == {
        "command": "build",
        "ok": True,
        "outputs": [{"path": str(tmp_path / "constructive-rest.en.classic.letter.pdf"), "kind": "pdf", "pages": 2}],
        "warnings": [],
        "errors": [],
        "details": {"printing": None},
    }


def test_quiet_prints_nothing_and_verbose_tells_more(tmp_path):
    quiet = runner.invoke(app, ["-q", "build", "--out", str(tmp_path)])
    assert quiet.exit_code == 0 and quiet.stdout == "" and quiet.stderr == ""
    assert (tmp_path / "constructive-rest.en.classic.letter.pdf").is_file()
    verbose = runner.invoke(app, ["--verbose", "build", "--out", str(tmp_path)])
    assert verbose.exit_code == 0
    assert verbose.stdout.strip() == str(tmp_path / "constructive-rest.en.classic.letter.pdf")
    assert "studio folder:" in verbose.stderr and "2 pages, " in verbose.stderr
    assert re.search(r"^took \d+\.\d\d s$", verbose.stderr, re.M)
    assert runner.invoke(app, ["-q", "-v", "build"]).exit_code == 2


def test_open_launches_the_pdf(tmp_path, monkeypatch):
    opened = []
    monkeypatch.setattr(common, "open_file", lambda path: opened.append(path))
    result = runner.invoke(app, ["--open", "build", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert opened == [tmp_path / "constructive-rest.en.classic.letter.pdf"]


def complete(words: str) -> str:
    env = {"_HANDOUTS_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1))}
    result = runner.invoke(app, [], prog_name="handouts", env=env)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_completion_of_template_and_content_names(tmp_path, monkeypatch):
    assert "classic" in complete("handouts build --template ").split()
    assert complete("handouts build con").split() == ["constructive-rest"]
    assert complete("handouts watch --template cl").split()[0] == "classic"
    # A studio's own names complete too, found from the current folder.
    (tmp_path / "studio.yaml").write_text((Path(__file__).parent.parent / "studio.yaml").read_text(), encoding="utf-8")
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "breathing.en.yaml").write_text("id: breathing\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert complete("handouts build b").split() == ["breathing"]
