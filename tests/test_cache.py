"""The on-disk caches are the user's own: a folder or file someone else could write is never used (S1, S5).

The red team's attacker was another local user who made the cache folder
first (in the shared temporary folder, as the tool then used): the victim's
next batch printed the attacker's pages. The caches now live in the user's
own cache folder, and whatever is found there is checked before it is used.
Cases that need a second user change a file's owner, which only root may
do; without root they are skipped.
"""

from __future__ import annotations

import logging
import os
import stat
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest

from handouts import cache
from handouts.build import build_handout
from handouts.project import Project

from conftest import ROOT

NOBODY = 65534
needs_root = pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                                reason="giving a folder to another user needs root")


@pytest.fixture
def cache_home(tmp_path, monkeypatch) -> Path:
    """An empty cache home of this test's own (XDG_CACHE_HOME), the tool's checks forgotten before and after."""
    home = tmp_path / "xdg"
    home.mkdir()
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    cache._base.cache_clear()
    cache._kind_folder.cache_clear()
    yield home
    cache._base.cache_clear()
    cache._kind_folder.cache_clear()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_cache_is_a_private_folder_of_the_users_own(cache_home):
    cache.store("pages", "k", 3)
    folder = cache_home / "studio-handouts"
    assert cache.root() == folder
    assert mode(folder) == 0o700 and mode(folder / "pages") == 0o700
    assert mode(folder / "pages" / "k.json") == 0o600
    assert cache.load("pages", "k") == 3


def test_an_entry_changed_behind_the_tools_back_is_not_used(cache_home):
    cache.store("pages", "k", 3)
    file = cache_home / "studio-handouts" / "pages" / "k.json"
    file.write_bytes(file.read_bytes().replace(b"3", b"9"))
    assert cache.load("pages", "k") is None
    cache.store("pages", "k", 3)
    file.write_bytes(file.read_bytes()[:-1])  # cut short
    assert cache.load("pages", "k") is None


def test_an_entry_moved_from_another_key_is_not_used(cache_home):
    cache.store("pages", "a", 2)
    folder = cache_home / "studio-handouts" / "pages"
    os.replace(folder / "a.json", folder / "b.json")
    assert cache.load("pages", "b") is None


def test_an_entry_others_may_write_is_not_used(cache_home):
    cache.store("pages", "k", 3)
    (cache_home / "studio-handouts" / "pages" / "k.json").chmod(0o666)
    assert cache.load("pages", "k") is None


def test_an_entry_that_is_a_link_is_not_followed(cache_home, tmp_path):
    cache.store("pages", "real", 3)
    folder = cache_home / "studio-handouts" / "pages"
    os.symlink(folder / "real.json", folder / "k.json")
    assert cache.load("pages", "k") is None


@pytest.mark.parametrize("how", ["open to others", "a link"])
def test_a_cache_folder_that_is_not_private_is_refused_once_with_a_warning(cache_home, tmp_path, caplog, how):
    folder = cache_home / "studio-handouts"
    if how == "a link":
        (tmp_path / "elsewhere").mkdir(mode=0o700)
        os.symlink(tmp_path / "elsewhere", folder)
    else:
        folder.mkdir()
        folder.chmod(0o777)
    with caplog.at_level(logging.WARNING, logger="handouts"):
        for _ in range(3):
            cache.store("pages", "k", 3)
            assert cache.load("pages", "k") is None
    why = "is a symbolic link" if how == "a link" else "is open to other users (mode 0777)"
    assert [record.getMessage() for record in caplog.records] == [
        f"warning: the cache folder {folder} {why}: working without the cache (hint: remove it, and the tool "
        "makes a private one again)"]
    assert list(folder.iterdir()) == [], "nothing was written into it"


@needs_root
def test_a_cache_folder_another_user_made_first_is_refused(cache_home, caplog):
    folder = cache_home / "studio-handouts"
    folder.mkdir(mode=0o700)
    os.chown(folder, NOBODY, NOBODY)
    with caplog.at_level(logging.WARNING, logger="handouts"):
        cache.store("pages", "k", 3)
        assert cache.load("pages", "k") is None
    assert caplog.records[0].getMessage().startswith(
        f"warning: the cache folder {folder} belongs to another user (uid {NOBODY}): working without the cache")


@needs_root
def test_an_entry_another_user_owns_is_not_used(cache_home):
    cache.store("pages", "k", 3)
    os.chown(cache_home / "studio-handouts" / "pages" / "k.json", NOBODY, NOBODY)
    assert cache.load("pages", "k") is None


def roster(folder: Path) -> Path:
    file = folder / "roster.csv"
    file.write_text("First Name,Last Name\nAna,García\nZoë,Łukasz\n", encoding="utf-8")
    return file


def s1_attack(cache_home: Path) -> Path:
    """The red team's S1: a cache folder made first by someone else, open to them."""
    folder = cache_home / "studio-handouts"
    folder.mkdir()
    folder.chmod(0o777)
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        os.chown(folder, NOBODY, NOBODY)
    return folder


def test_s1_a_batch_never_takes_its_shared_pages_from_a_folder_someone_else_can_write(cache_home, tmp_path, caplog):
    from handouts.batch.run import build_batch

    planted = s1_attack(cache_home)
    with caplog.at_level(logging.WARNING, logger="handouts"):
        first = build_batch(roster(tmp_path), project=Project(root=ROOT), out_dir=tmp_path / "one", jobs=1)
        second = build_batch(roster(tmp_path), project=Project(root=ROOT), out_dir=tmp_path / "two", jobs=1,
                             force=True)
    assert list(planted.iterdir()) == [], "nothing of the victim's is left where the attacker can reach it"
    assert len(first.built) == len(second.built) == 2
    for one, two in zip(sorted(first.built), sorted(second.built)):
        assert one.read_bytes() == two.read_bytes()
        with pikepdf.open(two) as pdf:
            assert "/OpenAction" not in pdf.Root
    assert any("working without the cache" in record.getMessage() for record in caplog.records)


def test_s1_the_warning_is_one_line_on_the_terminal_and_the_build_works(cache_home, tmp_path):
    s1_attack(cache_home)
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home), "PYTHONPATH": str(ROOT / "src")}
    result = subprocess.run([sys.executable, "-m", "handouts", "build", "--out", str(tmp_path / "out")],
                            capture_output=True, text=True, env=env, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(tmp_path / "out" / "constructive-rest.en.classic.letter.pdf")
    assert result.stderr.splitlines() == [
        f"warning: the cache folder {cache_home / 'studio-handouts'} "
        + ("belongs to another user (uid 65534)" if os.geteuid() == 0 else "is open to other users (mode 0777)")
        + ": working without the cache (hint: remove it, and the tool makes a private one again)"]


def test_s5_a_jinja_cache_folder_planted_in_the_temporary_folder_changes_nothing(cache_home, tmp_path, monkeypatch):
    shared = tmp_path / "sharedtmp"
    shared.mkdir(mode=0o1777)
    planted = shared / f"_jinja2-cache-{os.getuid()}"
    planted.mkdir(mode=0o700)
    if os.geteuid() == 0:
        os.chown(planted, NOBODY, NOBODY)
    monkeypatch.setenv("TMPDIR", str(shared))
    built = build_handout(project=Project(root=ROOT), out_dir=tmp_path / "out")
    assert built.pages == 2 and list(planted.iterdir()) == []


def test_compiled_templates_are_taken_from_the_cache_only_with_their_digest(cache_home, tmp_path):
    from handouts.layout import templating

    templating.environment.cache_clear()
    good = build_handout(project=Project(root=ROOT), out_dir=tmp_path / "a").path.read_bytes()
    folder = cache_home / "studio-handouts" / "templates"
    entries = sorted(folder.iterdir())
    assert entries and all(mode(entry) == 0o600 for entry in entries)
    for entry in entries:  # what an attacker would plant: other code under the same names
        entry.write_bytes(entry.read_bytes()[:-40] + b"\0" * 40)
    templating.environment.cache_clear()
    again = build_handout(project=Project(root=ROOT), out_dir=tmp_path / "b").path.read_bytes()
    assert again == good
    templating.environment.cache_clear()
