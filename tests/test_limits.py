"""Inputs too large or too strange are refused before they are parsed in full, in one line naming the limit.

And the messages point at the right thing: a folder or a FIFO is called a
folder or a FIFO, not "not found" or "check the free space".
"""

from __future__ import annotations

import os
import time
import warnings
from pathlib import Path

import pytest
import yaml

from handouts import limits
from handouts.build import build_handout
from handouts.content.load import load_content
from handouts.errors import HandoutError
from handouts.output import write_atomic
from handouts.project import Project

from conftest import ROOT

SOURCE = yaml.safe_load((ROOT / "content" / "constructive-rest.en.yaml").read_text(encoding="utf-8"))
SOURCE.pop("illustration")  # each test brings the picture it needs
for section in SOURCE["sections"]:
    section.pop("picture", None)


def content_file(folder: Path, data: dict | None = None, text: str | None = None) -> Path:
    (folder / "content").mkdir(exist_ok=True)
    file = folder / "content" / "x.en.yaml"
    file.write_text(text if text is not None else yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                    encoding="utf-8")
    return file


def one_problem(call):
    started = time.perf_counter()
    with pytest.raises(HandoutError) as caught:
        call()
    assert time.perf_counter() - started < 5, "a refusal must be quick"
    [problem] = caught.value.problems
    return problem


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path):
    file = content_file(tmp_path, text="title: " + "x" * (limits.MAX_SETTINGS_BYTES + 10))
    problem = one_problem(lambda: load_content(file))
    assert problem.message == "the file is 1,000,017 bytes; at most 1 MB is read"


def test_a_list_of_a_million_and_a_half_items_is_one_line(tmp_path):
    items = "".join("- a\n" for _ in range(200_000))
    file = content_file(tmp_path, text="safety:\n" + items)
    problem = one_problem(lambda: load_content(file))
    assert (problem.message, problem.field, problem.line) == (
        f"more than {limits.MAX_LIST_ITEMS} items in one list", "safety", limits.MAX_LIST_ITEMS + 2)
    flow = content_file(tmp_path, text="safety: [" + ",".join(["a"] * 1_500_000) + "]\n")
    assert one_problem(lambda: load_content(flow)).message == "the file is 3 MB; at most 1 MB is read"


def test_a_control_byte_in_yaml_is_one_line_with_its_place(tmp_path):
    file = content_file(tmp_path, text="id: x\ntitle: Rest\x07ful\n")
    problem = one_problem(lambda: load_content(file))
    assert str(problem) == (f"{file}:2:12: the character U+0007 (a control character) cannot be in a YAML file (hint: "
                            "delete it: it is invisible in most editors, and often comes with text copied out of a "
                            "PDF or a word processor)")
    assert "position" not in str(problem)


def test_deep_nesting_and_long_texts_name_their_limits(tmp_path):
    deep = content_file(tmp_path, text="title: " + "[" * 50 + "]" * 50 + "\n")
    assert one_problem(lambda: load_content(deep)).message == f"nested more than {limits.MAX_YAML_DEPTH} levels deep"
    long = content_file(tmp_path, data=dict(SOURCE, summary="word " * 3000))
    problem = one_problem(lambda: load_content(long))
    assert (problem.field, problem.message) == (
        "summary", f"a text of 15000 characters; at most {limits.MAX_TEXT_CHARS} are allowed")


def studio(tmp_path: Path, **settings) -> Path:
    data = yaml.safe_load((ROOT / "studio.yaml").read_text(encoding="utf-8"))
    data.update(settings)
    (tmp_path / "studio.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    return tmp_path / "studio.yaml"


def test_a_2_kb_website_address_is_one_line(tmp_path):
    file = studio(tmp_path, contact={"website": "https://harbour.example/" + "a" * 2000})
    problem = one_problem(lambda: build_handout(project=Project(root=tmp_path), out_dir=tmp_path / "out"))
    assert (problem.file, problem.field) == (file, "contact.website")
    assert problem.message == "the address is 2024 characters long; at most 300 are allowed here"


@pytest.mark.parametrize("size, says", [
    ('width="1e9" height="50"', "the SVG says it is 7.5e+08 x 37.5 points; a picture may be at most 14400 points"),
    ('width="-20" height="50"', "the SVG says it is -15 x 37.5 points"),
])
def test_an_svg_of_absurd_size_is_one_line_without_the_engines_dump(tmp_path, size, says):
    studio(tmp_path)
    (tmp_path / "content" / "images").mkdir(parents=True)
    (tmp_path / "content" / "images" / "big.svg").write_text(
        f'<svg xmlns="http://www.w3.org/2000/svg" {size}><rect width="10" height="10"/></svg>')
    data = dict(SOURCE, illustration={"file": "images/big.svg", "alt": "A shape"})
    file = content_file(tmp_path, data)
    problem = one_problem(lambda: build_handout(str(file), project=Project(root=tmp_path), out_dir=tmp_path / "out"))
    assert problem.field == "illustration.file" and says in problem.message
    assert "KeepInFrame" not in str(problem) and "too large for" not in str(problem)


def test_no_python_warning_reaches_the_terminal_for_a_large_picture(tmp_path):
    from test_redteam import bomb_png

    studio(tmp_path)
    (tmp_path / "content" / "images").mkdir(parents=True)
    (tmp_path / "content" / "images" / "warn.png").write_bytes(bomb_png(13_000, 13_000))
    file = content_file(tmp_path, dict(SOURCE, illustration={"file": "images/warn.png", "alt": "A picture"}))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        problem = one_problem(lambda: build_handout(str(file), project=Project(root=tmp_path), out_dir=tmp_path))
    assert caught == [] and "40 million pixels" in problem.message


@pytest.mark.parametrize("url, says", [
    ("data:text/html,<b>hi</b>", "'data:text/html,<b>hi</b>' is not a web address"),
    ("https://doi.org/\u202e10.1/x", "holds U+202E (right-to-left override)"),
    ("https://doi.org/10.1/\u200bx", "holds U+200B (zero width space)"),
])
def test_a_reference_url_must_be_a_plain_web_address(tmp_path, url, says):
    data = dict(SOURCE)
    data["references"] = [dict(SOURCE["references"][0], url=url)] + SOURCE["references"][1:]
    file = content_file(tmp_path, data)
    problem = one_problem(lambda: load_content(file))
    assert problem.field == "references.0.url" and says in problem.message


def test_a_markdown_link_with_a_bidi_control_is_refused(tmp_path):
    data = dict(SOURCE, summary="See [our page](https://harbour.example/\u202etxt.exe) first.")
    problem = one_problem(lambda: load_content(content_file(tmp_path, data)))
    assert problem.field == "summary" and "U+202E" in problem.message


@pytest.mark.parametrize("kind", ["folder", "fifo"])
def test_what_stands_where_the_pdf_goes_is_named_for_what_it_is(tmp_path, kind):
    target = tmp_path / "x.pdf"
    target.mkdir() if kind == "folder" else os.mkfifo(target)
    problem = one_problem(lambda: write_atomic(tmp_path, "x.pdf", b"%PDF-1.4"))
    says = "is a folder, so the PDF cannot be written there" if kind == "folder" else \
        "is a named pipe (FIFO), not a regular file: nothing was written over it"
    assert problem.message == f"{target} {says}"
    assert "free space" not in str(problem)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.pdf"]


def test_an_output_folder_that_is_a_file(tmp_path):
    (tmp_path / "out").write_text("not a folder")
    problem = one_problem(lambda: write_atomic(tmp_path / "out", "x.pdf", b"%PDF-1.4"))
    assert problem.message == f"the output folder {tmp_path / 'out'} is a file, not a folder"


@pytest.mark.parametrize("kind", ["folder", "fifo"])
def test_an_illustration_that_is_a_folder_or_a_fifo(tmp_path, kind):
    (tmp_path / "content" / "images").mkdir(parents=True)
    picture = tmp_path / "content" / "images" / "p.png"
    picture.mkdir() if kind == "folder" else os.mkfifo(picture)
    file = content_file(tmp_path, dict(SOURCE, illustration={"file": "images/p.png", "alt": "A picture"}))
    problem = one_problem(lambda: load_content(file))
    what = "a folder" if kind == "folder" else "a named pipe (FIFO)"
    assert problem.message == f"image 'images/p.png' is {what}, not a file"


def test_a_logo_and_a_font_that_are_fifos(tmp_path):
    os.mkfifo(tmp_path / "logo.png")
    studio(tmp_path, logo="logo.png")
    problem = one_problem(lambda: build_handout(project=Project(root=tmp_path), out_dir=tmp_path / "out"))
    assert problem.message == "logo logo.png is a named pipe (FIFO), not a file"
    os.mkfifo(tmp_path / "font.ttf")
    studio(tmp_path, fonts={"bold": "font.ttf"})
    problem = one_problem(lambda: build_handout(project=Project(root=tmp_path), out_dir=tmp_path / "out"))
    assert (problem.field, problem.message) == ("fonts.bold", "font.ttf: is a named pipe (FIFO), not a file")


@pytest.mark.parametrize("head, says", [
    (b"OTTO", "is an OpenType font with PostScript (CFF) outlines, not a TrueType font"),
    (b"wOF2", "is a web font (WOFF2), not a TrueType font"),
    (b"\x89PNG", "is not a TrueType font"),
])
def test_a_file_that_is_not_a_truetype_font_says_so_without_its_bytes(tmp_path, head, says):
    (tmp_path / "font.ttf").write_bytes(head + b"\0" * 200)
    studio(tmp_path, fonts={"regular": "font.ttf"})
    problem = one_problem(lambda: build_handout(project=Project(root=tmp_path), out_dir=tmp_path / "out"))
    assert problem.message == f"font.ttf: {says}"
    assert "0x" not in str(problem)


def test_a_link_out_of_the_studio_as_a_font_is_named_as_written(tmp_path, tmp_path_factory):
    from handouts.layout.fonts import default_fonts

    os.symlink(default_fonts().regular, tmp_path / "mine.ttf")
    studio(tmp_path, fonts={"regular": "mine.ttf"})
    problem = one_problem(lambda: build_handout(project=Project(root=tmp_path), out_dir=tmp_path / "out"))
    assert problem.message.startswith("mine.ttf: leads outside") and "Atkinson" not in problem.message


def test_init_never_writes_through_a_folder_that_links_out_of_the_studio(tmp_path, tmp_path_factory):
    from handouts.studio_init import init_studio

    elsewhere = tmp_path_factory.mktemp("elsewhere")
    folder = tmp_path / "studio"
    folder.mkdir()
    os.symlink(elsewhere, folder / "content")
    problem = one_problem(lambda: init_studio(folder, name="Test Studio"))
    assert problem.message == (f"{folder / 'content'} is a link to {elsewhere}, outside the studio folder: init does "
                               "not write through it")
    assert list(elsewhere.iterdir()) == [] and sorted(p.name for p in folder.iterdir()) == ["content"]


def test_init_leaves_a_link_at_a_files_name_alone(tmp_path, tmp_path_factory):
    from handouts.studio_init import init_studio

    target = tmp_path_factory.mktemp("elsewhere") / "victim.txt"
    folder = tmp_path / "studio"
    folder.mkdir()
    os.symlink(target, folder / "README.md")  # dangling: writing through it would create the file elsewhere
    done = init_studio(folder, name="Test Studio")
    assert Path("README.md") in done.skipped and not target.exists()
