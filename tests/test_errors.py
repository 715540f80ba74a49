"""Bad input gets one clear line: where it is, what is wrong, how to fix it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from handouts.build import build_handout, prepare
from handouts.cli import app
from handouts.content.load import load_content
from handouts.content.yamlload import load_yaml
from handouts.errors import ContentError, OutputError
from handouts.layout import art
from handouts.project import Project

from conftest import ROOT

runner = CliRunner()

GOOD = (ROOT / "content" / "constructive-rest.en.yaml").read_text(encoding="utf-8")
STEP = "      - Put the towel where your head will go.\n"


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def content_file(tmp_path, text: str | bytes, name: str = "x.en.yaml"):
    """A content file beside a copy of the bundled pictures."""
    if not (tmp_path / "images").exists():
        shutil.copytree(ROOT / "content" / "images", tmp_path / "images")
    file = tmp_path / name
    file.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return file


def problems_of(file) -> list:
    with pytest.raises(ContentError) as caught:
        load_content(file)
    return caught.value.problems


# --- encodings ---------------------------------------------------------------

def test_a_windows_1252_file_names_the_byte_its_place_and_what_it_meant(tmp_path):
    text = GOOD.replace("title: Constructive Rest", "title: Constructive Rést", 1)
    [problem] = problems_of(content_file(tmp_path, text.encode("cp1252")))
    assert (problem.line, problem.column) == (3, 22)
    assert "byte 0xE9 (perhaps 'é' in Windows-1252 or Latin-1)" in problem.message
    assert "save it as UTF-8" in problem.hint


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-8-sig"])
def test_utf16_with_a_bom_and_utf8_with_a_bom_are_read(tmp_path, encoding):
    text = GOOD.replace("title: Constructive Rest", "title: Constructive Rést", 1)
    raw = text.encode(encoding)
    if encoding == "utf-16-be":
        raw = b"\xfe\xff" + raw
    assert load_content(content_file(tmp_path, raw)).title == "Constructive Rést"


def test_utf16_without_a_bom_is_named(tmp_path):
    [problem] = problems_of(content_file(tmp_path, GOOD.encode("utf-16-le")))
    assert "UTF-16 text without a byte-order mark" in problem.message


# --- YAML syntax ---------------------------------------------------------------

def test_a_tab_in_the_indentation_says_so(tmp_path):
    text = GOOD.replace("\n  - heading: Getting down and settling", "\n\t- heading: Getting down and settling", 1)
    [problem] = problems_of(content_file(tmp_path, text))
    assert problem.line == line_of(text, "\t- heading")
    assert problem.message == "YAML syntax: a tab in the indentation"
    assert "replace the tab" in problem.hint


def test_word_processor_quotes_get_a_hint_about_straight_quotes(tmp_path):
    text = GOOD.replace("title: Constructive Rest", "title: “Constructive Rest: a guide”", 1)
    [problem] = problems_of(content_file(tmp_path, text))
    assert problem.line == 3 and problem.message.startswith("YAML syntax:")
    assert "curly quotes" in problem.hint and "straight quotes" in problem.hint


def test_a_colon_in_plain_text_suggests_quotes(tmp_path):
    text = GOOD.replace("duration: 5 to 20 minutes", "duration: rest: 5 to 20 minutes", 1)
    [problem] = problems_of(content_file(tmp_path, text))
    assert problem.line == line_of(text, "duration:")
    assert "put the whole text in quotes" in problem.hint


def test_a_key_given_twice_names_both_lines(tmp_path):
    text = GOOD.replace("title: Constructive Rest\n", "title: Constructive Rest\ntitle: Rest\n", 1)
    [problem] = problems_of(content_file(tmp_path, text))
    assert (problem.field, problem.line) == ("title", 4)
    assert problem.message == "given twice, at lines 3 and 4"


def test_a_key_given_twice_is_reported_with_the_files_other_problems(tmp_path):
    text = GOOD.replace("title: Constructive Rest\n", "title: Constructive Rest\ntitle: Rest\n", 1).replace(
        "    steps:\n", "    steps: Lie down.\n    old_steps:\n", 1)
    fields = [p.field for p in problems_of(content_file(tmp_path, text))]
    assert {"title", "sections.1.steps", "sections.1.old_steps"} <= set(fields)


def test_a_nested_key_given_twice_is_found_too(tmp_path):
    text = GOOD.replace("  - heading: Getting down and settling\n", "  - heading: Getting down and settling\n    heading: How\n", 1)
    [problem] = problems_of(content_file(tmp_path, text))
    assert problem.field == "sections.1.heading"


def test_self_referencing_anchors_are_an_error_not_a_crash(tmp_path):
    file = tmp_path / "x.yaml"
    file.write_text("a: &a [*a]\n", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_yaml(file)
    assert str(caught.value).endswith("x.yaml:1:8: a.0: *a is used inside &a, the value it names: a value cannot "
                                      "contain itself (hint: use *a after the value of &a ends)")


def test_billion_laughs_is_refused(tmp_path):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    file = tmp_path / "x.yaml"
    file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ContentError, match=r"more than 20000 values in one file \(an alias \*name counts"):
        load_yaml(file)


# --- valid YAML, wrong shape -------------------------------------------------------

def test_numbers_and_yes_no_in_a_text_field_are_the_text_as_written(tmp_path):
    text = GOOD.replace("title: Constructive Rest", "title: 2026", 1).replace(
        "duration: 5 to 20 minutes", "duration: 010", 1).replace("subtitle: Lying on your back with your knees bent",
                                                                 "subtitle: No", 1)
    content = load_content(content_file(tmp_path, text))
    assert (content.title, content.duration, content.subtitle) == ("2026", "010", "No")


def test_text_where_a_list_of_steps_belongs(tmp_path):
    text = GOOD.replace("    steps:\n", "    steps: Lie down.\n    old_steps:\n", 1)
    problems = problems_of(content_file(tmp_path, text))
    by_field = {p.field: p for p in problems}
    assert by_field["sections.1.steps"].message == "expected a list of steps, not text"
    assert "starting with '- '" in by_field["sections.1.steps"].hint
    assert by_field["sections.1.old_steps"].message == "unknown field"


def test_a_list_where_text_belongs_and_an_empty_field(tmp_path):
    text = GOOD.replace("title: Constructive Rest", "title: [Constructive, Rest]", 1).replace(
        "  - heading: Getting down and settling\n", "  - heading:\n", 1)
    by_field = {p.field: p for p in problems_of(content_file(tmp_path, text))}
    assert by_field["title"].message == "expected text, not a list"
    assert "put it in quotes" in by_field["title"].hint
    assert by_field["sections.1.heading"].message == "is empty"


def test_a_mapping_where_a_list_belongs(tmp_path):
    text = GOOD.replace("safety:\n", "safety:\n  first: Stop if it hurts.\nold_safety:\n", 1)
    by_field = {p.field: p for p in problems_of(content_file(tmp_path, text))}
    assert by_field["safety"].message == "expected a list of safety, not fields (name: value)"


def test_a_bad_date_says_how_to_write_one(tmp_path):
    [problem] = problems_of(content_file(tmp_path, GOOD.replace("reviewed: 2026-12-01", "reviewed: 2026-13-20", 1)))
    assert (problem.field, problem.message, problem.hint) == (
        "reviewed", "'2026-13-20' is not a date", "write the date as year-month-day, e.g. 2026-11-20")


def test_every_problem_in_nested_lists_is_reported_at_once(tmp_path):
    text = (GOOD.replace("    steps:\n", "    stpes:\n", 1)
            .replace("    - label: The research view", "    - lable: The research view", 1)
            .replace(STEP, "      - \n", 1))
    problems = problems_of(content_file(tmp_path, text))
    messages = {(p.field, p.message, p.hint) for p in problems}
    assert ("sections.1.stpes", "unknown field", "did you mean 'steps'?") in messages
    assert ("sidebar.positions.1.lable", "unknown field", "did you mean 'label'?") in messages
    assert any(p.field == "sidebar.positions.1.label" and p.message == "field required" for p in problems)
    lines = {p.field: p.line for p in problems}
    assert lines["sections.1.stpes"] == line_of(text, "    stpes:")
    assert lines["sidebar.positions.1.lable"] == line_of(text, "lable:")


# --- pictures -------------------------------------------------------------------

def test_an_illustration_that_is_a_link_out_of_the_folder_is_refused(tmp_path):
    outside = tmp_path / "outside.svg"
    outside.write_bytes((ROOT / "content" / "images" / "constructive-rest.svg").read_bytes())
    studio = tmp_path / "studio"
    studio.mkdir()
    file = content_file(studio, GOOD.replace("images/constructive-rest.svg", "images/linked.svg", 1))
    (studio / "images" / "linked.svg").symlink_to(outside)
    [problem] = problems_of(file)
    assert "leads outside the content folder" in problem.message


def test_an_illustration_in_a_format_that_cannot_print(tmp_path):
    file = content_file(tmp_path, GOOD.replace("images/constructive-rest.svg", "images/photo.gif", 1))
    (tmp_path / "images" / "photo.gif").write_bytes(b"GIF89a")
    [problem] = problems_of(file)
    assert problem.hint == "use SVG, PNG or JPEG"



def test_utf32_with_a_bom_is_read(tmp_path):
    text = GOOD.replace("title: Constructive Rest", "title: Constructive Rést", 1)
    assert load_content(content_file(tmp_path, text.encode("utf-32"))).title == "Constructive Rést"


@pytest.mark.parametrize(("name", "data", "says"), [
    ("broken.svg", b"garbage", "cannot read SVG"),
    ("cut.svg", (ROOT / "content" / "images" / "constructive-rest.svg").read_bytes()[:100], "has no size"),
    ("cut.png", b"\x89PNG\r\n\x1a\nxx", "cannot read image"),
])
def test_a_corrupt_picture_stops_the_build_at_its_content_field(tmp_path, name, data, says):
    file = content_file(tmp_path, GOOD.replace("images/constructive-rest.svg", f"images/{name}", 1))
    (tmp_path / "images" / name).write_bytes(data)
    with pytest.raises(ContentError) as caught:
        prepare(Project(root=tmp_path), file)
    [problem] = caught.value.problems
    assert (problem.field, problem.line) == ("illustration.file", line_of(GOOD, "file: images/"))
    assert problem.message.startswith(f"images/{name}: ") and says in problem.message


@pytest.mark.parametrize(("name", "data"), [
    ("truncated.png", (ROOT / "docs" / "images" / "classic-page1.png").read_bytes()[:3000]),
    ("empty.svg", b""),
    ("sizeless.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><rect width="5" height="5"/></svg>'),
])
def test_a_picture_broken_after_the_checks_still_names_its_field_while_rendering(tmp_path, name, data):
    """The page engine's picture hook (a logo, or a file changed mid-build) raises our error, not the engine's."""
    (tmp_path / name).write_bytes(data)
    with pytest.raises(ContentError) as caught:
        art.flowable(f'{{"file": "{tmp_path / name}", "width": 100, "field": "logo"}}')
    [problem] = caught.value.problems
    assert (Path(problem.file).name, problem.field) == (name, "logo") and problem.hint


# --- the command line: exit codes, no tracebacks ------------------------------------------

@pytest.fixture
def wide(monkeypatch):
    monkeypatch.setenv("COLUMNS", "120")


def test_a_bug_is_one_line_without_the_values_it_held(monkeypatch, tmp_path, wide):
    def bug(*args, **kwargs):
        raise KeyError("Zoë Łukasz")

    monkeypatch.setattr("handouts.build.build_handout", bug)
    result = runner.invoke(app, ["build", "--client", "Zoë Łukasz", "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr.startswith("internal error: KeyError in build.py:")  # our innermost line
    assert "--debug" in result.stderr and "Zoë" not in result.stderr and "Traceback" not in result.output
    debug = runner.invoke(app, ["--debug", "build", "--out", str(tmp_path)])
    assert isinstance(debug.exception, KeyError)


def test_a_tool_error_a_command_forgot_to_catch_is_still_one_line(monkeypatch, tmp_path, wide):
    def late(*args, **kwargs):
        raise OutputError("cannot open the PDF", hint="open it yourself")

    monkeypatch.setattr("handouts.cli.build.report", late)
    result = runner.invoke(app, ["build", "--out", str(tmp_path)])
    assert (result.exit_code, result.stderr) == (1, "error: cannot open the PDF (hint: open it yourself)\n")


@pytest.mark.parametrize("template", ["trifold", "cue-card"])
def test_a_note_too_long_for_a_fixed_box_names_its_option_and_a_measured_length(tmp_path, template):
    from handouts.errors import LayoutOverflowError

    with pytest.raises(LayoutOverflowError) as caught:
        build_handout(template=template, client="Ana", note="Breathe slowly. " * 20, out_dir=tmp_path,
                      project=Project(root=ROOT))
    [problem] = caught.value.problems
    assert problem.field == "--note"
    assert problem.message.startswith(f"the note is too long for the personal box of template '{template}': 319 characters")
    keep = int(problem.hint.removeprefix("shorten the note to ").split()[0])
    build_handout(template=template, client="Ana", note=("Breathe slowly. " * 20)[:keep].rstrip(), out_dir=tmp_path,
                  project=Project(root=ROOT))  # following the hint works


@pytest.mark.parametrize("lang", ["../../../etc/passwd", "en/../../x", "/etc/passwd"])
def test_a_language_that_climbs_out_of_the_content_folder_finds_nothing(tmp_path, lang):
    with pytest.raises(ContentError, match="no content 'constructive-rest' in language"):
        build_handout(lang=lang, out_dir=tmp_path, project=Project(root=ROOT))
    assert list(tmp_path.iterdir()) == []
