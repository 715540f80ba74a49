"""What `handouts check` asks as an editor would: a "get help" line, sources, full references, languages alike."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from handouts.cli import app
from handouts.content.check import check_project
from handouts.content.editorial import help_pattern
from handouts.content.labels import load_labels
from handouts.project import Project

from conftest import ROOT

DATA = ROOT / "tests" / "data" / "content"
PAIR = DATA / "pair"
runner = CliRunner()


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")


def check(*files):
    result = runner.invoke(app, ["--project", str(ROOT), "check", *map(str, files)])
    return result, [line for line in result.stdout.splitlines()]


def test_a_safety_list_without_a_get_help_line_is_warned_about():
    file = DATA / "no-get-help.en.yaml"
    result, lines = check(file)
    assert result.exit_code == 0
    assert lines == [f"warning: {file}:12:1: safety: no item says when to get help or whom to call (hint: add one, "
                     "such as 'Get help if the pain does not settle: call your doctor'; the words that count are "
                     "get_help_phrases in templates/_base/labels/en.yaml)"]
    assert runner.invoke(app, ["--project", str(ROOT), "check", str(file), "--strict"]).exit_code == 1


def test_in_spanish_the_spanish_phrases_count_accents_or_not():
    without = DATA / "neck-sin-ayuda.es.yaml"
    _, lines = check(without)
    assert [line.split(": ", 3)[2] for line in lines] == ["safety"]
    assert "templates/_base/labels/es.yaml" in lines[0]
    _, lines = check(PAIR / "childs-pose.es.yaml")  # "llama a tu medico", written without its accent
    assert not [line for line in lines if ": safety: no item" in line]


@pytest.mark.parametrize("lang, text, found", [
    ("en", "Stop, and call your GP if the pain does not settle.", True),
    ("en", "Ring 999 if you have chest pain.", True),
    ("en", "Get help if you feel faint.", True),
    ("en", "Recall the steps slowly.", False),        # "call" is a whole word, not part of one
    ("en", "Stop if anything hurts.", False),
    ("es", "Llame al 112 si le duele el pecho.", True),
    ("es", "Pide ayuda si te mareas.", True),
    ("es", "Consulta con tu MÉDICA si el dolor sigue.", True),
    ("es", "Para si algo te duele.", False),
])
def test_get_help_phrases_are_whole_words_in_any_case(lang, text, found):
    from handouts.content.editorial import _folded

    pattern = help_pattern(load_labels(Project(root=ROOT), lang)["get_help_phrases"])
    assert bool(pattern.search(_folded(text))) is found


def test_a_studio_can_add_its_own_phrases(studio_dir):
    labels = studio_dir / "templates" / "_base" / "labels"
    labels.mkdir(parents=True)
    english = (ROOT / "templates" / "_base" / "labels" / "en.yaml").read_text(encoding="utf-8")
    (labels / "en.yaml").write_text(english.replace("get_help_phrases: [", "get_help_phrases: [front desk, "),
                                    encoding="utf-8")
    file = studio_dir / "content" / "desk.en.yaml"
    text = (DATA / "no-get-help.en.yaml").read_text(encoding="utf-8")
    file.write_text(text.replace("Keep your chin level.", "Tell the front desk if you feel unwell."), encoding="utf-8")
    report = check_project(Project(root=studio_dir), [str(file)])
    assert not [p for p in report.problems if p.field == "safety"]


def test_a_takeaway_without_a_source_is_warned_about():
    file = DATA / "unsourced-takeaway.en.yaml"
    result, lines = check(file)
    assert result.exit_code == 0
    assert lines == [f"warning: {file}:27:3: sidebar.takeaway: the takeaway cites no source (hint: cite the "
                     "references it rests on in its text, as [@id] or [@id1; @id2])"]


def test_a_view_is_sourced_by_its_sources_or_an_inline_citation(tmp_path):
    from handouts.content.editorial import file_problems
    from handouts.content.yamlload import load_yaml

    text = (DATA / "base.en.yaml").read_text(encoding="utf-8")
    inline = tmp_path / "inline.en.yaml"
    inline.write_text(text.replace("      sources: [jones-2021]\n", "      sources: []\n").replace(
        "A soft pillow feels good to many people.", "A soft pillow feels good to many people [@jones-2021]."),
        encoding="utf-8")
    bare = tmp_path / "bare.en.yaml"
    bare.write_text(text.replace("      sources: [jones-2021]\n", "      sources: []\n"), encoding="utf-8")
    assert file_problems(load_yaml(inline, strict=False), "en", None) == []
    [problem] = file_problems(load_yaml(bare, strict=False), "en", None)
    assert (problem.line, problem.field, problem.message) == (22, "sidebar.positions.1", "view 'The pillow view' names no source")
    # While the schema asks every view for a sources: id, its error is the one told.
    _, lines = check(bare)
    assert [line.split(": ", 3)[2] for line in lines] == ["sidebar.positions.1.sources"]


def test_references_a_reader_cannot_find_again():
    file = DATA / "references.en.yaml"
    result, lines = check(file)
    assert result.exit_code == 0
    assert lines == [
        f"warning: {file}:32:5: references.0.journal: journal article 'smith-2020' has no volume and no pages "
        "(hint: add volume: and pages: from the article's record, e.g. on PubMed)",
        f"warning: {file}:39:5: references.2.journal: journal article 'lee-2018' has no pages "
        "(hint: add pages: from the article's record, e.g. on PubMed)",
        f"warning: {file}:42:5: references.3: reference 'park-nd' has no year "
        "(hint: add the year to its text, or give the reference by its parts with year:)",
        f"warning: {file}:44:5: references.4: reference 'trust-leaflet' has no year "
        "(hint: add year:, or for a web page or leaflet the date: printed on it, or accessed: the day you read it "
        "if it gives none)",
    ]


def test_two_languages_that_do_not_say_the_same_things():
    english, spanish = PAIR / "childs-pose.en.yaml", PAIR / "childs-pose.es.yaml"
    hint = "(hint: the languages of a handout say the same things: add what is missing, or remove what is extra)"
    expected = [
        f"warning: {spanish}:14:5: sections.1.steps: 5 steps here, 6 in childs-pose.en.yaml {hint}",
        f"warning: {spanish}:24:1: safety: 4 safety items here, 3 in childs-pose.en.yaml {hint}",
        f"warning: {spanish}:43:1: references: 2 references here, 3 in childs-pose.en.yaml {hint}",
    ]
    for asked in ([english, spanish], [spanish], [english]):
        result, lines = check(*asked)
        assert result.exit_code == 0
        if asked == [english]:  # only the English file was asked for: told there, against the Spanish one
            assert [line.split(": ", 3)[2] for line in lines] == ["sections.1.steps", "safety", "references"]
            assert all(line.startswith(f"warning: {english}:") and "in childs-pose.es.yaml" in line for line in lines)
        else:
            assert lines == expected


def test_languages_with_as_many_of_everything_pass(tmp_path):
    english = tmp_path / "childs-pose.en.yaml"
    english.write_text((PAIR / "childs-pose.en.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "childs-pose.fr.yaml").write_text(english.read_text(encoding="utf-8").replace("lang: en", "lang: fr"),
                                                  encoding="utf-8")
    report = check_project(Project(root=ROOT), [str(english)])
    assert not [p for p in report.problems if "here," in p.message]
