"""What the terminal shows of a roster: `handouts roster`, batch summaries that say who, and nothing a cell could run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from handouts import manifest
from handouts.cli import app

from conftest import ROOT

runner = CliRunner()
EXPORT = ("Client ID,First Name,Last Name,Email,Phone,Booking Status,Language,Notes\r\n"
          "1041,José,Núñez,jose@example.org,555-0101,Booked,Español,Rodillas juntas si duele la espalda\r\n"
          "1042,Françoise,Lefèvre,fl@example.org,555-0103,Late Cancel,,\r\n"
          "1043,Maximiliana Esperanza,de la Concepción Villalobos-Hernández,max@example.org,555-0104,,EN,\r\n"
          "1044,Kim,Lee,,555-0105,,Elvish,\r\n")


@pytest.fixture(autouse=True)
def terminal(monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")  # wider than the roster tables may grow


def write(tmp_path: Path, text: str, name: str = "roster.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_roster_shows_the_mapping_the_clients_and_who_is_left_out_in_80_columns(tmp_path):
    roster = write(tmp_path, EXPORT, encoding="cp1252")
    result = runner.invoke(app, ["roster", str(roster)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines[1:]) <= 80  # the first names the file, however long its path
    assert lines[0].endswith("roster.csv: CSV, read as Windows-1252, delimiter comma")
    text = result.stdout
    for header, meaning in [("First Name", "first name"), ("Booking Status", "booking status"),
                            ("Language", "handout language"), ("Notes", "teacher's note"), ("Phone", "(ignored)")]:
        assert any(header in line and meaning in line for line in lines), (header, text)
    assert "clients to print: 2" in text and "rows left out: 2" in text
    assert any("José Núñez" in line and "es" in line for line in lines)
    assert any("Françoise Lefèvre" in line and "cancelled (status: Late Cancel)" in line for line in lines)
    assert any("Kim Lee" in line and "is not a language code or name" in line for line in lines)


def test_roster_as_json_lists_everyone(tmp_path):
    roster = write(tmp_path, EXPORT, encoding="cp1252")
    record = json.loads(runner.invoke(app, ["--json", "roster", str(roster)]).stdout)
    assert record["command"] == "roster" and record["ok"] is True
    details = record["details"]
    assert details["roster"]["encoding"] == "Windows-1252"
    assert [(c["row"], c["name"], c["lang"]) for c in details["clients"]] == [
        (2, "José Núñez", "es"), (4, "Maximiliana Esperanza de la Concepción Villalobos-Hernández", "en")]
    assert [item["name"] for item in details["left_out"]] == ["Françoise Lefèvre"]
    assert [(p["row"], p["field"]) for p in details["problems"]] == [(5, "lang")]


def test_roster_with_no_one_to_print_exits_1_with_one_line(tmp_path):
    roster = write(tmp_path, "First Name,Status\nAna,Cancelled\nBea,No Show\n")
    result = runner.invoke(app, ["roster", str(roster)])
    assert result.exit_code == 1
    assert result.stderr == f"error: {roster}: the roster has no clients to print: 2 left out " \
                            "(hint: export the class's bookings again, with its clients in it)\n"


def batch(tmp_path: Path, roster: Path, *options: str):
    return runner.invoke(app, ["--project", str(ROOT), *options, "batch", str(roster), "--date", "2026-12-01",
                               "--out", str(tmp_path / "out"), "--jobs", "1"])


def test_rich_markup_in_names_prints_as_written(tmp_path):
    left = write(tmp_path, "first_name,last_name,status\n[/x],Smith,Cancelled\n[bold red]Ana,Garcia,\n")
    result = batch(tmp_path, left)
    assert result.exit_code == 0, result.output
    assert "[/x] Smith (row 2)" in result.stdout and "internal error" not in result.output
    failed = write(tmp_path, "first_name,last_name,lang\n[/x] Kim,Lee,xx\nAna,Garcia,\n", "failed.csv")
    result = batch(tmp_path, failed)
    assert result.exit_code == 1
    assert "[/x] Kim Lee (row 2)" in result.stdout and "'xx' is not a language code or name" in result.stdout


def test_escape_sequences_from_a_roster_never_reach_the_terminal(tmp_path):
    link = "\x1b]8;;file:///etc/passwd\x1b\\Click me\x1b]8;;\x1b\\"
    left = write(tmp_path, f"first_name,last_name,status\n{link},Smith,Cancelled\nAna,Garcia,\n")
    result = batch(tmp_path, left)
    assert "\x1b" not in result.output and "\\x1b]8;;file:///etc/passwd" in result.stdout
    title = write(tmp_path, "first_name,last_name,lang\nAna,Smith,zz\x1b]0;PWNED TITLE\x07\nBea,Ruiz,\n", "t.csv")
    quiet = batch(tmp_path, title, "--quiet")
    assert quiet.exit_code == 1 and "\x1b" not in quiet.output and "\x07" not in quiet.output
    assert "zz\\x1b]0;PWNED TITLE\\x07" in quiet.stderr


def test_a_long_run_of_control_characters_in_a_name_is_shown_escaped_and_cut(tmp_path):
    roster = write(tmp_path, "name,status\nAna" + "\x1b" * 5000 + ",Cancelled\nBea,\n")
    result = batch(tmp_path, roster)
    assert "\x1b" not in result.output
    left_line = next(line for line in result.stdout.splitlines() if "left out" in line)
    assert "Ana\\x1b\\x1b" in left_line and len(result.stdout) < 6000


def test_every_left_out_client_is_listed_in_json_and_in_clients_csv_and_the_terminal_folds(tmp_path):
    rows = "".join(f"Client {n:02d},Cancelled\n" for n in range(73))
    roster = write(tmp_path, "Name,Status\nAna García,Booked\n" + rows)
    result = batch(tmp_path, roster)
    assert result.exit_code == 0, result.output
    assert "Client 00 (row 3), Client 01 (row 4)" in result.stdout and "and 68 more (all in clients.csv)" in result.stdout
    record = json.loads(batch(tmp_path, roster, "--json").stdout)
    assert len(record["details"]["left_out"]) == 73 and record["details"]["left_out"][-1]["name"] == "Client 72"
    lines = (tmp_path / "out" / "clients.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == 1 + 74 and lines[-1].startswith("75,Client 72,,,,,,left out,Cancelled")


def test_the_summary_names_the_class_folder_on_one_line(tmp_path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "60")
    roster = write(tmp_path, "Name\nAna García\n", "a-roster-with-a-rather-long-name-for-its-class.csv")
    result = batch(tmp_path, roster)
    assert result.stdout.splitlines()[0] == f"{roster} (CSV, UTF-8) -> {tmp_path / 'out'}"


def big_roster(path: Path, size: int) -> Path:
    path.write_text("first_name,last_name\n" + "".join(f"Client,Number {n}\n" for n in range(size)), encoding="utf-8")
    return path


def start_batch(tmp_path: Path, size: int) -> tuple[subprocess.Popen, Path]:
    roster = big_roster(tmp_path / "r.csv", size)
    out = tmp_path / "out"
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    process = subprocess.Popen([sys.executable, "-m", "handouts", "--project", str(ROOT), "batch", str(roster),
                                "--out", str(out), "--jobs", "2", "--date", "2026-12-01"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, start_new_session=True)
    deadline = time.monotonic() + 60
    while len(list(out.glob("*.pdf"))) < 50 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
    return process, out


def children(pid: int) -> list[int]:
    found = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(n) for n in found.read_text().split()] if found.exists() else []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_killing_the_batch_ends_its_workers(tmp_path):
    process, out = start_batch(tmp_path, 2500)
    workers = children(process.pid)
    assert workers, "the batch finished before it could be killed"
    process.kill()
    process.wait()
    deadline = time.monotonic() + 5
    while any(Path(f"/proc/{pid}").exists() and "zombie" not in Path(f"/proc/{pid}/status").read_text()
              for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    alive = [pid for pid in workers if Path(f"/proc/{pid}").exists()
             and "zombie" not in Path(f"/proc/{pid}/status").read_text()]
    assert not alive
    count = len(list(out.glob("*.pdf")))
    time.sleep(0.5)
    assert len(list(out.glob("*.pdf"))) == count  # nothing writes any more
    # The next batch knows the files as its own: each was noted as it was written (a worker killed between
    # a file's rename and its note leaves that one file unknown, rebuilt with one warning line).
    known = manifest.load(out).files
    unknown = [path.name for path in out.glob("*.pdf") if not (known.get(path.name) and known[path.name].on_disk(path))]
    assert count >= 50 and len(unknown) <= 2, unknown


def test_ctrl_c_stops_the_batch_at_once(tmp_path):
    process, out = start_batch(tmp_path, 2500)
    start = time.monotonic()
    os.killpg(process.pid, signal.SIGINT)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 130 and time.monotonic() - start < 5
    assert stderr.decode().endswith("interrupted: nothing half-written was left behind\n")
    assert len(list(out.glob("*.pdf"))) < 2000 and not list(out.glob(".*.tmp"))
