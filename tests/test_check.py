"""`handouts check` and the checks every build runs first.

Each file in tests/data/content/ breaks one rule of a small handout that
otherwise passes (base.en.yaml); the problem must be reported at the line
the file has it, with a fix, and with the right exit code.
"""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from handouts.cli import app
from handouts.content import readability
from handouts.content.check import _blocks, check_file, check_project
from handouts.content.load import load_studio
from handouts.content.yamlload import load_yaml
from handouts.project import Project

from conftest import ROOT

DATA = ROOT / "tests" / "data" / "content"
runner = CliRunner()


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")


def check(*args: str, project=ROOT):
    return runner.invoke(app, ["--project", str(project), "check", *args])


# file, exit code, the start of the line expected (severity: file:line:col: field), words of its message
CASES = [
    ("unbalanced", 1, "error: {f}:18:7: sidebar.positions.0:", "'The towel view' has 37 words, 2.47 times the 15"),
    ("uncited", 1, "error: {f}:25:7: sidebar.positions.1.sources:", "needs at least 1 item"),
    ("hard", 1, "error: {f}:5:1: summary:", 'hardest: "Physiological equilibrium emerges gradually."'),
    ("no-safety", 1, "error: {f}:12:1: safety:", "needs at least 1 item"),
    ("dangling", 1, "error: {f}:21:17: sidebar.positions.0.sources.0:", "did you mean 'smith-2020'?"),
    ("uncited-reference", 0, "warning: {f}:33:5: references.2.id:", "reference 'brown-2019' is never cited"),
    ("no-alt", 1, "error: {f}:7:1: illustration.alt: field required", "what the picture shows"),
]


@pytest.mark.parametrize("name, code, start, words", CASES, ids=[case[0] for case in CASES])
def test_each_problem_is_reported_at_its_line(name, code, start, words):
    file = DATA / f"{name}.en.yaml"
    result = check(str(file))
    assert result.exit_code == code, result.output
    lines = [line for line in result.stdout.splitlines() if line.startswith(start.format(f=file))]
    assert len(lines) == 1, result.stdout
    assert words in lines[0] and "(hint: " in lines[0]


def test_the_base_fixture_passes():
    result = check(str(DATA / "base.en.yaml"))
    assert result.exit_code == 0 and result.stdout == ""
    assert "ok: 1 file checked, no problems" in result.stderr


def test_every_problem_of_a_file_is_listed_at_once():
    file = DATA / "many.en.yaml"
    result = check(str(file))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert [line.split(": ")[1] for line in lines] == [f"{file}:{n}" for n in ("5:1", "19:7", "29:17", "31:3", "35:5")]
    assert "subtitel: unknown field (hint: did you mean 'subtitle'?)" in lines[0]
    assert "the debate is unbalanced" in lines[1]
    assert "source 'jones-2012' is not in references" in lines[2]
    assert "reading grade" in lines[3] and "takeaway" in lines[3]
    assert lines[4].startswith("warning: ")
    assert "4 errors, 1 warning" in result.stderr


@pytest.mark.parametrize("flag", [["--format", "json"], ["--json"], ["--format", "JSON"]])
def test_json_output_parses_with_every_field(flag):
    file = DATA / "many.en.yaml"
    result = check(str(file), *flag)
    assert result.exit_code == 1
    record = json.loads(result.stdout)
    assert set(record) == {"command", "ok", "outputs", "warnings", "errors", "details"}
    assert record["command"] == "check" and record["ok"] is False and record["outputs"] == []
    assert [row["line"] for row in record["errors"]] == [5, 19, 29, 31]
    assert [row["line"] for row in record["warnings"]] == [35]
    assert record["errors"][0] == {
        "file": str(file), "line": 5, "column": 1, "field": "subtitel", "severity": "error",
        "message": "unknown field", "hint": "did you mean 'subtitle'?",
    }
    assert record["details"] == {"checked": [str(file)], "strict": False}
    clean = json.loads(check(str(DATA / "base.en.yaml"), *flag).stdout)
    assert (clean["ok"], clean["errors"], clean["warnings"]) == (True, [], [])


def test_strict_turns_warnings_into_failure():
    file = str(DATA / "uncited-reference.en.yaml")
    assert check(file).exit_code == 0
    assert check(file, "--strict").exit_code == 1


def test_bundled_content_has_no_errors():
    """No error; what it warns of is what an editor asks of it (sources, dates), never its schema or level."""
    result = check()
    assert result.exit_code == 0, result.output
    assert "2 files checked: 0 errors" in result.stderr or "ok: 2 files checked" in result.stderr
    assert not [line for line in result.stdout.splitlines() if not line.startswith("warning: ")]


def test_bundled_content_reads_easily_in_every_block():
    """English at grade 7 or below; Spanish 65 or more on INFLESZ ("bastante fácil")."""
    for lang, easy in (("en", lambda score: score <= 7.0), ("es", lambda score: score >= 65)):
        located = load_yaml(ROOT / "content" / f"constructive-rest.{lang}.yaml")
        scores = {name: readability.assess(text, lang).score for _, name, text in _blocks(located)}
        assert len(scores) >= 10
        assert all(map(easy, scores.values())), (lang, scores)


def test_content_ids_languages_and_unknown_ids():
    both = check_project(Project(root=ROOT), ["constructive-rest"])
    assert [f.name for f in both.files] == ["constructive-rest.en.yaml", "constructive-rest.es.yaml"]
    one = check_project(Project(root=ROOT), ["constructive-rest.es"])
    assert [f.name for f in one.files] == ["constructive-rest.es.yaml"]
    result = check("no-such-handout")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: no content 'no-such-handout' (hint: available: constructive-rest.en")


def test_the_grade_limit_comes_from_the_studio(studio_dir):
    text = (studio_dir / "studio.yaml").read_text(encoding="utf-8")
    (studio_dir / "studio.yaml").write_text(text.replace("reading_grade_max: 8", "reading_grade_max: 4"), encoding="utf-8")
    result = check("constructive-rest.en", project=studio_dir)
    assert result.exit_code == 1
    over = [line for line in result.stdout.splitlines() if "is above 4 in the" in line]
    assert over and all(re.search(r": reading grade \d+(\.\d)? is above 4 in the ", line) for line in over)
    assert all(line.endswith("or raise reading_grade_max in studio.yaml, now 4)") for line in over)


def studio_with_disclaimer(studio_dir, disclaimer_yaml: str):
    text = (studio_dir / "studio.yaml").read_text(encoding="utf-8")
    start, end = text.index("disclaimer:"), text.index("reading_grade_max")
    (studio_dir / "studio.yaml").write_text(text[:start] + disclaimer_yaml + text[end:], encoding="utf-8")
    return studio_dir / "studio.yaml"


def test_a_disclaimer_missing_in_the_handouts_language_is_a_warning(studio_dir):
    studio_file = studio_with_disclaimer(studio_dir, "disclaimer:\n  en: For education only.\n")
    checked = check_file(ROOT / "content" / "constructive-rest.es.yaml", load_studio(studio_file), studio_file)
    line = studio_file.read_text(encoding="utf-8").splitlines().index("disclaimer:") + 1
    assert [(p.severity, p.line, p.field) for p in checked.problems] == [("warning", line, "disclaimer")]
    assert "no 'es' text: constructive-rest.es.yaml will print the 'en' one" in str(checked.problems[0])


def test_no_disclaimer_anywhere_is_an_error(studio_dir):
    studio_file = studio_with_disclaimer(studio_dir, "")
    result = check("constructive-rest", project=studio_dir)
    assert result.exit_code == 1
    assert f"error: {studio_file}:3:1: disclaimer: no disclaimer for constructive-rest.en.yaml" in result.stdout


def test_build_refuses_content_with_errors_and_writes_nothing(tmp_path):
    file = DATA / "many.en.yaml"
    result = runner.invoke(app, ["--project", str(ROOT), "build", str(file), "--out", str(tmp_path)])
    assert result.exit_code == 1
    errors = result.stderr.splitlines()  # the hard takeaway would only be a warning here
    assert len(errors) == 3 and all(line.startswith(f"error: {file}:") for line in errors)
    assert "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []


def test_build_prints_warnings_and_goes_on(tmp_path):
    file = DATA / "uncited-reference.en.yaml"
    result = runner.invoke(app, ["--project", str(ROOT), "build", str(file), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith(f"warning: {file}:33:5: references.2.id: reference 'brown-2019' is never cited")
    assert result.stdout.strip() == str(tmp_path / "neck-rest.en.classic.letter.pdf")
    assert (tmp_path / "neck-rest.en.classic.letter.pdf").stat().st_size > 1000


def test_a_language_without_labels_or_syllable_rules_is_warned_about(tmp_path):
    file = tmp_path / "neck-rest.zz.yaml"
    file.write_text((DATA / "base.en.yaml").read_text(encoding="utf-8").replace("lang: en", "lang: zz"), encoding="utf-8")
    result = check(str(file), "--format", "json")
    assert result.exit_code == 0
    record = json.loads(result.stdout)
    rows = record["warnings"]
    assert record["errors"] == [] and rows
    about_lang = [row["message"] for row in rows if row["file"] == str(file)]
    assert about_lang == ["the reading level cannot be measured in 'zz'",
                          "no label catalogue for 'zz': headings, page numbers and dates will print in English"]
    assert all(row["line"] == 3 for row in rows if row["file"] == str(file))


def test_labels_missing_from_a_catalogue_are_counted(studio_dir, tmp_path):
    labels = studio_dir / "templates" / "_base" / "labels"
    labels.mkdir(parents=True)
    (labels / "fr.yaml").write_text("page: Page\npage_of: sur\n", encoding="utf-8")
    file = tmp_path / "base.fr.yaml"
    file.write_text((DATA / "base.en.yaml").read_text(encoding="utf-8").replace("lang: en", "lang: fr"), encoding="utf-8")
    result = check(str(file), project=studio_dir)
    assert "label(s) missing in templates/_base/labels/fr.yaml (prepared_for, date, class_name, note, ...)" in result.stdout


def test_check_lays_a_fixed_layout_out_with_a_clients_box_too(studio_dir):
    """A brochure that fits plain but not with the personal box would fail every client of a batch: check says so."""
    folder = studio_dir / "templates" / "tall-box"
    folder.mkdir(parents=True)
    (folder / "template.yaml").write_text("extends: trifold\ntitle: Trifold with a tall box\n"
                                          "description: The trifold, with room for a long note on the cover.\n"
                                          "personal_box: {top: 36, right: 36, width: 212, height: 420}\n",
                                          encoding="utf-8")
    (folder / "handout.rml.j2").write_text('{% extends "!builtin/trifold/handout.rml.j2" %}', encoding="utf-8")
    result = check("constructive-rest.en", "--template", "tall-box", project=studio_dir)
    assert result.exit_code == 1, result.output
    [line] = result.stdout.splitlines()
    assert "template 'tall-box' (a client's copy, with its personal box): no room for " in line
    assert runner.invoke(app, ["--project", str(studio_dir), "build", "--template", "tall-box",
                               "--out", str(studio_dir / "out")]).exit_code == 0  # it fits plain


def test_a_file_whose_id_or_lang_is_not_its_names_is_a_warning_at_that_line(studio_dir):
    base = (ROOT / "tests" / "data" / "content" / "base.en.yaml").read_text(encoding="utf-8")
    assert "\nid: neck-rest\nlang: en\n" in base.split("title:")[0]
    (studio_dir / "content" / "neck-rest.en.yaml").write_text(base, encoding="utf-8")
    other = studio_dir / "content" / "shoulder-rest.en.yaml"
    other.write_text(base.replace("lang: en\n", "lang: es\n", 1), encoding="utf-8")
    result = check("shoulder-rest.en", "--template", "classic", project=studio_dir)
    warnings = [line for line in result.output.splitlines() if "is not the" in line]
    assert warnings == [
        f"warning: {other}:2:1: id: 'neck-rest' is not the id in the file name shoulder-rest.en.yaml "
        "('shoulder-rest'): the PDF is named after 'neck-rest' (hint: write id: shoulder-rest, or rename the file "
        "to neck-rest.es.yaml)",
        f"warning: {other}:3:1: lang: 'es' is not the lang in the file name shoulder-rest.en.yaml ('en'): the PDF "
        "is named after 'es' (hint: write lang: en, or rename the file to neck-rest.es.yaml)"]
    assert check("neck-rest.en", "--template", "classic", project=studio_dir).output.count("is not the") == 0


def test_a_file_named_without_an_id_and_a_language_is_not_held_to_its_name(tmp_path):
    content = tmp_path / "my handout.yaml"
    content.write_text((ROOT / "tests" / "data" / "content" / "base.en.yaml").read_text(encoding="utf-8"),
                       encoding="utf-8")
    assert "is not the" not in check(str(content), "--template", "classic").output
