"""Nothing is lost: the previous PDF survives failed, interrupted and killed builds."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from handouts import output
from handouts.build import build_handout
from handouts.errors import HandoutError, OutputError
from handouts.output import STALE_SECONDS, output_name, remove_stale, write_atomic
from handouts.project import Project

from conftest import ROOT

OLD = b"%PDF-1.4 the previous handout\n"

#: Writes a PDF the way a build does, but stops between writing the temporary
#: file and renaming it, so the parent can interrupt it exactly there.
SLOW_WRITER = """
import os, sys, time
from pathlib import Path
from handouts import output
real_replace = os.replace
def slow_replace(src, dst):
    print("written", flush=True)
    time.sleep(30)
    real_replace(src, dst)
output.os.replace = slow_replace
output.write_atomic(Path(sys.argv[1]), "handout.pdf", b"%PDF new " * 100000)
"""


def temp_files(folder: Path) -> list[str]:
    return [path.name for path in folder.iterdir() if path.name.endswith(".tmp")]


def interrupted_writer(folder: Path, sig: int) -> tuple[int, str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    process = subprocess.Popen([sys.executable, "-c", SLOW_WRITER, str(folder)], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout.readline().strip() == "written"
    process.send_signal(sig)
    _, stderr = process.communicate(timeout=10)
    return process.returncode, stderr


@pytest.fixture
def previous(tmp_path) -> Path:
    (tmp_path / "handout.pdf").write_bytes(OLD)
    return tmp_path / "handout.pdf"


def test_ctrl_c_while_writing_keeps_the_previous_pdf_and_no_temporary_file(previous):
    returncode, stderr = interrupted_writer(previous.parent, signal.SIGINT)
    assert returncode != 0 and "KeyboardInterrupt" in stderr
    assert previous.read_bytes() == OLD
    assert temp_files(previous.parent) == []


def test_a_killed_build_keeps_the_previous_pdf_and_the_next_write_sweeps_its_temporary_file(previous):
    returncode, _ = interrupted_writer(previous.parent, signal.SIGKILL)
    assert returncode == -signal.SIGKILL
    assert previous.read_bytes() == OLD
    (left,) = temp_files(previous.parent)  # SIGKILL leaves no chance to clean up...
    unrelated = previous.parent / ".notes.tmp"
    unrelated.write_text("not ours")
    write_atomic(previous.parent, "other.pdf", b"%PDF other")
    assert temp_files(previous.parent) == [".notes.tmp"]  # ...so the next write does
    assert previous.read_bytes() == OLD


def test_a_temporary_file_of_a_running_process_or_another_machine_is_kept(tmp_path):
    host = output._HOST
    running = tmp_path / f".a.pdf.{host}-{os.getpid()}.a1b2c3d4.tmp"
    elsewhere = tmp_path / f".b.pdf.{'f' * 6 if host != 'f' * 6 else '0' * 6}-1.a1b2c3d4.tmp"
    for file in (running, elsewhere):
        file.write_bytes(b"half")
    assert remove_stale(tmp_path) == []
    old = time.time() - STALE_SECONDS - 60
    os.utime(elsewhere, (old, old))
    assert remove_stale(tmp_path) == [elsewhere] and running.exists()


def test_the_file_gets_the_users_usual_permissions_not_mkstemps_private_ones(tmp_path):
    mode = stat.S_IMODE(write_atomic(tmp_path, "a.pdf", b"x").stat().st_mode)
    assert mode == output.FILE_MODE and mode & stat.S_IRGRP  # 0644 under the usual umask 022


def test_ctrl_c_during_handouts_build_says_nothing_was_lost_and_exits_130(previous):
    """The command line, interrupted between writing the new PDF and renaming it."""
    script = ("import os, sys, time\n"
              "real = os.replace\n"
              "def stalled(a, b):\n"
              "    print('written', flush=True); time.sleep(30); real(a, b)\n"
              "os.replace = stalled\n"
              "from handouts.cli import main; sys.argv = ['handouts', 'build', '--out', sys.argv[1]]; main()\n")
    process = subprocess.Popen([sys.executable, "-c", script, str(previous.parent)],
                               env=dict(os.environ, PYTHONPATH=str(ROOT / "src")),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout.readline().strip() == "written"
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 130
    assert stderr == "interrupted: nothing half-written was left behind\n"
    assert temp_files(previous.parent) == [] and previous.read_bytes() == OLD


def test_a_failed_build_leaves_the_previous_pdf_intact(studio_dir):
    out = studio_dir / "out"
    out.mkdir()
    target = out / output_name("constructive-rest", lang="en", template="classic", paper="letter")
    target.write_bytes(OLD)
    broken = studio_dir / "content" / "constructive-rest.en.yaml"
    broken.write_text("id: constructive-rest\ntitle: [unclosed\n", encoding="utf-8")
    with pytest.raises(HandoutError):
        build_handout(str(broken), project=Project(root=studio_dir), out_dir=out)
    assert target.read_bytes() == OLD and sorted(p.name for p in out.iterdir()) == [target.name]


def test_a_write_that_fails_is_a_clear_error_and_leaves_nothing(tmp_path, monkeypatch):
    def full_disk(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("handouts.output.os.fsync", full_disk)
    with pytest.raises(OutputError, match="No space left on device"):
        write_atomic(tmp_path, "handout.pdf", b"%PDF")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("client", ["../../evil", "/etc/passwd", "..", "a/../../b", "CON", "\\..\\x", "x\0y"])
def test_output_never_leaves_the_output_folder_whatever_the_client_name(tmp_path, client):
    name = output_name("constructive-rest", lang="en", template="classic", paper="letter", client=client)
    path = write_atomic(tmp_path / "out", name, b"%PDF")
    assert path.parent == tmp_path / "out" and os.listdir(tmp_path) == ["out"]


@pytest.mark.parametrize("name", ["../../evil.pdf", "/tmp/abs.pdf", "a/b.pdf", "..", "", "a\\..\\b.pdf"])
def test_a_hostile_file_name_is_refused_before_anything_is_written(tmp_path, name):
    with pytest.raises(OutputError):
        write_atomic(tmp_path / "out", name, b"%PDF")
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("path", ["../../etc/passwd", "/etc/passwd", "images/../../../secret.svg", "C:\\logo.png",
                                  "..\\..\\x.svg"])
def test_an_illustration_path_that_leaves_the_content_folder_is_refused(studio_dir, path):
    source = (ROOT / "content" / "constructive-rest.en.yaml").read_text(encoding="utf-8")
    file = studio_dir / "content" / "x.en.yaml"
    file.write_text(source.replace("file: images/constructive-rest.svg", f"file: '{path}'"), encoding="utf-8")
    with pytest.raises(HandoutError) as caught:
        build_handout(str(file), project=Project(root=studio_dir), out_dir=studio_dir / "out")
    (problem,) = [p for p in caught.value.problems if p.field == "illustration.file"]
    line = source.splitlines().index("  file: images/constructive-rest.svg") + 1
    assert "leads outside the content folder" in problem.message and problem.line == line
    assert not (studio_dir / "out").exists()


@pytest.mark.parametrize("path", ["../../etc/passwd.svg", "/etc/logo.svg"])
def test_a_logo_path_that_leaves_the_studio_folder_is_refused(studio_dir, path):
    studio = studio_dir / "studio.yaml"
    studio.write_text(studio.read_text(encoding="utf-8") + f"logo: '{path}'\n", encoding="utf-8")
    with pytest.raises(HandoutError, match="leaves the studio folder") as caught:
        build_handout(project=Project(root=studio_dir), out_dir=studio_dir / "out")
    assert caught.value.problems[0].field == "logo"
