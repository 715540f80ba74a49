"""The command line: paths printed, one-line errors, exit codes, nothing lost."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from handouts.cli import app

from conftest import ROOT

runner = CliRunner()


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch):
    monkeypatch.setenv("COLUMNS", "120")


def test_build_prints_the_path(tmp_path):
    result = runner.invoke(app, ["build", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(tmp_path / "constructive-rest.en.classic.letter.pdf")


def test_build_from_a_path_with_personal_options(tmp_path):
    content = ROOT / "content" / "constructive-rest.en.yaml"
    result = runner.invoke(app, [
        "build", str(content), "--template", "classic", "--paper", "a4", "--client", "Zoë Łukasz",
        "--note", "A folded towel under your head", "--date", "2026-12-01", "--out", str(tmp_path),
    ])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "constructive-rest.en.classic.a4.zoe-lukasz.pdf").is_file()


def test_bad_content_is_one_line_exit_1_and_keeps_the_old_pdf(tmp_path):
    good = runner.invoke(app, ["build", "--out", str(tmp_path)])
    target = tmp_path / "constructive-rest.en.classic.letter.pdf"
    before = target.read_bytes()
    bad = tmp_path / "bad.en.yaml"
    bad.write_text("id: constructive-rest\ntitle: [oops\n", encoding="utf-8")
    result = runner.invoke(app, ["build", str(bad), "--out", str(tmp_path)])
    assert good.exit_code == 0 and result.exit_code == 1
    assert result.stderr.startswith(f"error: {bad}:3:")
    assert "Traceback" not in result.output
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == ["bad.en.yaml", target.name]


def test_unknown_template_lists_the_available_ones(tmp_path):
    result = runner.invoke(app, ["build", "--template", "nope", "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert "unknown template 'nope'" in result.stderr and "classic" in result.stderr


def test_usage_errors_exit_2():
    assert runner.invoke(app, ["build", "--paper", "a3"]).exit_code == 2
    assert runner.invoke(app, ["build", "--date", "tomorrow"]).exit_code == 2


def test_version_and_help():
    assert runner.invoke(app, ["--version"]).stdout.startswith("handouts ")
    assert runner.invoke(app, ["build", "--help"]).exit_code == 0
    assert runner.invoke(app, ["-h"]).exit_code == 0


def test_debug_shows_the_traceback(tmp_path):
    result = runner.invoke(app, ["--debug", "build", "--template", "nope", "--out", str(tmp_path)])
    assert result.exit_code == 1 and result.exception is not None
