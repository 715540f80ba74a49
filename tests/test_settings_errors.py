"""Every settings field with a wrong value: one line in plain words, at the field's place, with a fix.

The walk takes its fields from the models themselves (studio.yaml's
``Studio``, template.yaml's ``TemplateInfo``) and the label catalogue, so a
field added later is walked too. No line may hold pydantic's, a regular
expression's or Python's own wording.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from handouts.build import prepare
from handouts.content.labels import load_labels
from handouts.content.load import load_studio
from handouts.content.models import Studio
from handouts.content.schema_errors import model_in
from handouts.errors import HandoutError, Problem
from handouts.layout.templating import TemplateInfo, find_template
from handouts.project import Project

from conftest import ROOT

#: Words of pydantic, regular expressions or Python that must never reach the user.
LIBRARY_WORDING = re.compile(
    r"Input should|String should|should be a valid|Value error|pydantic|constrained-str|function-after|dict\[|"
    r"\[key\]|\^|\$'|match pattern|type=|validation error|literal_error|Traceback|Error\b|NoneType|<class|\bstr\b|"
    r"\bint\b|\bfloat\b|\bbool\b|object")

#: Wrong values to try on every field; each field must be refused for at least one of them.
WRONG = [["a", "list"], {"a": "mapping"}, "", "   ", "x" * 10_001, "not-a-number", 3.5, True, -4, 10**6,
         "bad value with spaces", "\u202eevil"]

STUDIO = yaml.safe_load((ROOT / "studio.yaml").read_text(encoding="utf-8"))


def leaf_paths(model, prefix=()) -> list[tuple]:
    """Every field of ``model``, nested models walked into (``("contact", "website")``...)."""
    paths = []
    for name, info in model.model_fields.items():
        inner = model_in(info.annotation)
        paths.append(prefix + (name,))
        if inner is not None and inner is not model:
            paths += leaf_paths(inner, prefix + (name,))
    return paths


def set_at(data: dict, path: tuple, value) -> dict:
    data = yaml.safe_load(yaml.safe_dump(data))
    node = data
    for key in path[:-1]:
        node = node.setdefault(key, {}) if isinstance(node.get(key), dict) or key not in node else node[key]
    node[path[-1]] = value
    return data


def problems_for(file: Path, load) -> list[Problem] | None:
    try:
        load(file)
    except HandoutError as error:
        return error.problems
    return None


def assert_plain(problem: Problem, file: Path, path: tuple):
    """One line with the file, its place, the field (or a field inside it), a fix, and no library's words."""
    line = str(problem)
    field = ".".join(map(str, path))
    assert problem.file == file and problem.line and problem.column, line
    assert problem.field == field or problem.field.startswith(field + "."), line
    assert problem.hint, f"no fix given: {line}"
    assert not LIBRARY_WORDING.search(f"{problem.message} {problem.hint}"), line
    text = file.read_text(encoding="utf-8").splitlines()[problem.line - 1]
    parts = problem.field.split(".")
    named = parts[-2] if problem.message == "field required" and len(parts) > 1 else parts[-1]  # at its parent
    assert named in text or text.lstrip().startswith("-"), \
        f"line {problem.line} is not the field's: {text!r}"


@pytest.mark.parametrize("path", leaf_paths(Studio), ids=".".join)
def test_every_studio_field_with_a_wrong_value_is_one_plain_line_at_its_place(tmp_path, path):
    refused = 0
    for value in WRONG:
        file = tmp_path / "studio.yaml"
        file.write_text(yaml.safe_dump(set_at(STUDIO, path, value), allow_unicode=True, sort_keys=False))
        found = problems_for(file, load_studio)
        if found is None:
            continue
        refused += 1
        assert len(found) == 1 or isinstance(value, (list, dict)), [str(p) for p in found]
        for problem in found:  # a list or mapping given may hold several wrong values: a line for each
            assert_plain(problem, file, path)
    assert refused, f"{'.'.join(path)} took every wrong value"


@pytest.mark.parametrize("path, value, line", [
    (("contact", "website"), "harbourlight.example",
     "contact.website: 'harbourlight.example' is not a web address (hint: write it with https:// in front)"),
    (("contact", "website"), "ftp://harbour.example",
     "contact.website: 'ftp://harbour.example' is not a web address (hint: write it as https://example.com (or "
     "http://))"),
    (("contact", "video"), "https://video.example/\u202eabc",
     "contact.video: the link 'https://video.example/\\u202eabc' holds U+202E (right-to-left override), an invisible "
     "character that can disguise where a link goes (hint: type the address again by hand)"),
    (("contact", "email"), "hello at harbour",
     "contact.email: 'hello at harbour' is not an email address (hint: write it as name@example.com)"),
    (("colors", "primary"), "#12345",
     "colors.primary: '#12345' is not a colour (hint: six hex digits such as #1F4E5F)"),
    (("paper",), "a5", "paper: 'a5' is not a paper size the tool prints (hint: letter or a4)"),
    (("template",), "My Layout",
     "template: 'My Layout' is not a template name (hint: letters, digits and hyphens, as `handouts templates` "
     "lists them)"),
    (("reading_grade_max",), True,
     "reading_grade_max: expected a number, not yes/no (hint: a school grade from 1 to 20, e.g. "
     "reading_grade_max: 8)"),
    (("reading_grade_max",), 30,
     "reading_grade_max: 30 is out of range: the largest allowed is 20 (hint: a school grade from 1 to 20, e.g. "
     "reading_grade_max: 8)"),
    (("practice_log",), "sometimes", "practice_log: 'sometimes' is not yes or no (hint: true or false)"),
    (("tagline",), {"English": "Move well"},
     "tagline.English: 'English' is not a language tag (hint: a code such as en, es or pt-BR)"),
    (("tagline",), ["Move", "well"],
     "tagline: expected text, not a list (hint: one text, or one per language: en: ..., es: ...)"),
    (("name",), None, "name: is empty (hint: write the text after the colon, or remove the line)"),
    (("colour",), "#123456", "colour: unknown field (hint: did you mean 'colors'?)"),
])
def test_the_studio_errors_read_as_the_content_errors_do(tmp_path, path, value, line):
    file = tmp_path / "studio.yaml"
    file.write_text(yaml.safe_dump(set_at(STUDIO, path, value), allow_unicode=True, sort_keys=False))
    [problem] = problems_for(file, load_studio)
    assert problem.line and problem.column
    assert str(problem) == f"{file}:{problem.line}:{problem.column}: {line}"


def test_a_colour_written_with_a_hash_left_unquoted_is_told_the_hash_starts_a_comment(tmp_path):
    file = tmp_path / "studio.yaml"
    file.write_text("name: Harbour Light\ncolors:\n  primary: #123456\n", encoding="utf-8")
    [problem] = problems_for(file, load_studio)
    assert str(problem) == (f"{file}:3:3: colors.primary: is empty (hint: a '#' after the colon starts a YAML "
                            "comment, so nothing is left of the value: put it in quotes, e.g. primary: \"#123456\")")


@pytest.mark.parametrize("written, taken", [('"123456"', "#123456"), ("1f4e5f", "#1f4e5f"), ("000000", "#000000"),
                                            ('"#8C4A2F"', "#8C4A2F")])
def test_a_colour_is_six_hex_digits_with_or_without_the_hash_as_init_takes_it(tmp_path, written, taken):
    file = tmp_path / "studio.yaml"
    file.write_text(f"name: Harbour Light\ncolors:\n  primary: {written}\n", encoding="utf-8")
    assert load_studio(file).colors.primary == taken


def test_the_studios_template_is_named_in_any_case_as_the_option_takes_it(studio_dir):
    file = studio_dir / "studio.yaml"
    file.write_text(yaml.safe_dump(set_at(STUDIO, ("template",), "Trifold"), allow_unicode=True, sort_keys=False))
    assert prepare(Project(root=studio_dir)).template.name == "trifold"


def test_an_unknown_template_in_studio_yaml_is_named_at_its_line_with_the_templates_there_are(studio_dir):
    file = studio_dir / "studio.yaml"
    file.write_text(yaml.safe_dump(set_at(STUDIO, ("template",), "nope"), allow_unicode=True, sort_keys=False))
    with pytest.raises(HandoutError) as caught:
        prepare(Project(root=studio_dir))
    [problem] = caught.value.problems
    assert str(problem) == (f"{file}:{problem.line}:1: template: unknown template 'nope' (hint: available: "
                            "classic, cue-card, large-print, trifold)")
    assert file.read_text(encoding="utf-8").splitlines()[problem.line - 1] == "template: nope"


def test_paper_in_capitals_is_taken(tmp_path):
    file = tmp_path / "studio.yaml"
    file.write_text(yaml.safe_dump(set_at(STUDIO, ("paper",), "A4")))
    assert load_studio(file).paper == "a4"


@pytest.mark.parametrize("style", ["regular", "bold", "italic", "bold_italic"])
@pytest.mark.parametrize("written, says", [
    ("fonts/none.ttf", "fonts/none.ttf: font file not found"),
    ("../outside.ttf", "../outside.ttf: leads outside the studio folder"),
    ("fonts", "fonts: is a folder, not a file"),
    ("studio.yaml", "studio.yaml: is not a TrueType font"),
])
def test_a_font_that_cannot_be_used_is_named_as_written_at_its_line(studio_dir, style, written, says):
    (studio_dir / "fonts").mkdir()
    file = studio_dir / "studio.yaml"
    file.write_text(yaml.safe_dump(set_at(STUDIO, ("fonts", style), written)))
    with pytest.raises(HandoutError) as caught:
        prepare(Project(root=studio_dir))
    [problem] = caught.value.problems
    assert problem.message == says
    assert_plain(problem, file, ("fonts", style))


@pytest.mark.parametrize("written, says", [
    ("none.svg", "logo file not found: none.svg"),
    ("../logo.svg", "logo path '../logo.svg' leaves the studio folder"),
    ("content", "logo must be an SVG, PNG or JPEG file, not content"),
    ("folder.svg", "logo folder.svg is a folder, not a file"),
])
def test_a_logo_that_cannot_be_used_is_named_as_written_at_its_line(studio_dir, written, says):
    (studio_dir / "folder.svg").mkdir()
    file = studio_dir / "studio.yaml"
    file.write_text(yaml.safe_dump(set_at(STUDIO, ("logo",), written)))
    with pytest.raises(HandoutError) as caught:
        prepare(Project(root=studio_dir))
    [problem] = caught.value.problems
    assert problem.message == says
    assert_plain(problem, file, ("logo",))


TEMPLATE = {"title": "Mine", "description": "A layout of my own", "papers": ["letter", "a4"],
            "orientation": "portrait", "max_pages": 2,
            "personal_box": {"top": 38, "right": 40, "width": 200, "height": 92, "text_scale": 1.0}}


@pytest.mark.parametrize("path", leaf_paths(TemplateInfo), ids=".".join)
def test_every_template_yaml_field_with_a_wrong_value_is_one_plain_line_in_template_yaml(studio_dir, path):
    folder = studio_dir / "templates" / "mine"
    folder.mkdir(parents=True)
    (folder / "handout.rml.j2").write_text('{% extends "!builtin/classic/handout.rml.j2" %}\n')
    refused = 0
    for value in WRONG:
        file = folder / "template.yaml"
        file.write_text(yaml.safe_dump(set_at(TEMPLATE, path, value), allow_unicode=True, sort_keys=False))
        found = problems_for(file, lambda _: find_template(Project(root=studio_dir), "mine"))
        if found is None:
            continue
        refused += 1
        assert len(found) == 1 or isinstance(value, (list, dict)), [str(p) for p in found]
        for problem in found:  # a list or mapping given may hold several wrong values: a line for each
            assert_plain(problem, file, path if problem.field.startswith(".".join(path)) else path[:1])
    assert refused, f"{'.'.join(path)} took every wrong value"


@pytest.mark.parametrize("key, value, says", [
    ("weekdays", ["Monday"], "weekdays: needs a list of 7 texts, one per line"),
    ("date_format", "{day} {month} {year}", "date_format: '{day} {month} {year}' is written in the old {day} "
                                            "{month} {year} form"),
    ("date_format", "d MMMM y HH:mm", "date_format: 'H' in 'd MMMM y HH:mm' is not part of a date"),
    ("date_format", "{day.__class__.__mro__}", "date_format: '{day.__class__.__mro__}' is written in the old"),
    ("safety", {"nested": "x"}, "safety: a label must be text"),
    ("page", ["a", "b"], None),
    ("prepard_for", "Prepared for", "prepard_for: unknown label (hint: did you mean 'prepared_for'?)"),
    ("months", ["January"], "months: month names are not a label: they print in the catalogue's language, "
                            "from date_format (hint: remove the line; MMMM in date_format prints"),
    ("my_own_heading", "Before you start", None),  # a label of the studio's own, for its own templates
])
def test_a_broken_label_catalogue_is_reported_at_its_own_file_and_line(studio_dir, key, value, says):
    labels = yaml.safe_load((ROOT / "templates" / "_base" / "labels" / "en.yaml").read_text(encoding="utf-8"))
    labels[key] = value
    folder = studio_dir / "templates" / "_base" / "labels"
    folder.mkdir(parents=True)
    file = folder / "en.yaml"
    file.write_text(yaml.safe_dump(labels, allow_unicode=True, sort_keys=False))
    if says is None:  # a list of texts is a label a template may use
        assert load_labels(Project(root=studio_dir), "en")[key] == value
        return
    with pytest.raises(HandoutError) as caught:
        load_labels(Project(root=studio_dir), "en")
    [problem] = caught.value.problems
    assert f"{problem.field}: {problem.message} (hint: {problem.hint})".startswith(says)
    assert_plain(problem, file, (key,))


def test_a_label_written_yes_or_a_number_is_that_text(studio_dir):
    folder = studio_dir / "templates" / "_base" / "labels"
    folder.mkdir(parents=True)
    (folder / "en.yaml").write_text("done: Yes\nminutes: 10\n", encoding="utf-8")
    labels = load_labels(Project(root=studio_dir), "en")
    assert (labels["done"], labels["minutes"]) == ("Yes", "10")


def test_month_names_a_studio_catalogue_prints_are_glyph_checked_at_its_line(studio_dir):
    folder = studio_dir / "templates" / "_base" / "labels"
    folder.mkdir(parents=True)
    (folder / "ja.yaml").write_text('prepared_for: For\ndate_format: "d MMMM y"\n', encoding="utf-8")
    data = yaml.safe_load((ROOT / "tests" / "data" / "content" / "base.en.yaml").read_text(encoding="utf-8"))
    data["lang"] = "ja"
    content = studio_dir / "content" / "neck.ja.yaml"
    content.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(HandoutError) as caught:
        prepare(Project(root=studio_dir), str(content))
    [problem] = caught.value.problems
    assert (problem.file, problem.line, problem.field) == (folder / "ja.yaml", 2, "date_format")
    assert problem.message == "the character '月' (U+6708) is in no font this handout uses"
