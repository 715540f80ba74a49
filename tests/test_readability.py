"""The reading level: a formula made for each language, a limit per language, a warning in a build."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from handouts.cli import app
from handouts.content import readability
from handouts.content.load import load_studio
from handouts.content.readability import GRADE, INFLESZ

from conftest import ROOT

DATA = ROOT / "tests" / "data" / "content"
runner = CliRunner()


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")


def set_ease(studio_file, value) -> str:
    """studio.yaml with another reading_ease_min (the bundled one gives 55)."""
    text = studio_file.read_text(encoding="utf-8")
    assert "reading_ease_min: 55" in text
    return text.replace("reading_ease_min: 55", f"reading_ease_min: {value}")


@pytest.mark.parametrize("word, syllables", [
    ("abeja", 3), ("oído", 3), ("poesía", 4), ("aéreo", 4), ("acuéstate", 4), ("leer", 2), ("cuidado", 3),
    ("respiración", 4), ("muy", 1), ("pingüino", 3), ("fisioterapeuta", 6), ("NHS", 1), ("2009", 1),
])
def test_spanish_syllables_follow_spanish_rules(word, syllables):
    """Hyphenation points (what textstat counts) leave out one-letter syllables and hiatus; these do not."""
    assert readability.spanish_syllables(word) == syllables


def test_szigriszt_pazos_is_textstats_formula_with_spanish_syllables(monkeypatch):
    text = "Túmbate boca arriba con las rodillas dobladas. Respira despacio y deja que el suelo te sostenga."
    scorer = readability._scorer("es")
    monkeypatch.setattr(readability, "spanish_syllables", lambda word: scorer.syllable_count(word))
    assert readability.szigriszt_pazos(text) == pytest.approx(scorer.szigriszt_pazos(text), abs=0.01)


def test_each_language_on_its_own_scale():
    assert readability.scale_for("en") is GRADE and readability.scale_for("en-GB") is GRADE
    assert readability.scale_for("es") is INFLESZ and readability.scale_for("es-MX") is INFLESZ
    assert readability.scale_for("fr") is GRADE  # no formula of its own: Flesch-Kincaid with French syllables
    assert readability.scale_for("zz") is None
    easy = "Túmbate boca arriba en el suelo. Dobla las rodillas sin prisa. Respira despacio por la nariz."
    hard = ("La consecución de una alineación cervical adecuada constituye un determinante fundamental "
            "de la relajación neuromuscular generalizada.")
    assert readability.assess(easy, "es").score > 80 > 40 > readability.assess(hard, "es").score
    assert INFLESZ.band(readability.assess(easy, "es").score) == "muy fácil: very easy"
    assert INFLESZ.band(-12) == "muy difícil: very hard" and INFLESZ.band(60) == "normal"
    assert INFLESZ.too_hard(54.9, 55) and not INFLESZ.too_hard(55, 55)
    assert GRADE.too_hard(8.1, 8) and not GRADE.too_hard(8, 8)


def test_the_limits_come_from_studio_yaml(studio_dir):
    studio_file = studio_dir / "studio.yaml"
    assert readability.limit_for(None, "en") == (GRADE, 8.0)
    assert readability.limit_for(load_studio(studio_file), "es") == (INFLESZ, 55.0)
    studio_file.write_text(set_ease(studio_file, 70), encoding="utf-8")
    studio = load_studio(studio_file)
    assert readability.limit_for(studio, "es-MX") == (INFLESZ, 70.0)
    assert readability.limit_for(studio, "en") == (GRADE, 8.0)


def built_with_one_warning(file, out) -> tuple[str, str]:
    """Build ``file``: it must be written, with one warning; the path printed and the warning."""
    built = runner.invoke(app, ["--project", str(ROOT), "build", str(file), "--out", str(out)])
    assert built.exit_code == 0, built.output
    [warning] = built.stderr.splitlines()
    return built.stdout.strip(), warning


def test_a_hard_spanish_block_is_a_warning_in_a_build_and_an_error_in_check(tmp_path):
    file = DATA / "dificil.es.yaml"
    _, warning = built_with_one_warning(file, tmp_path)
    assert warning.startswith(f"warning: {file}:5:1: summary: INFLESZ ease -31.2 (muy difícil: very hard) "
                              "is below 55 in the summary; hardest: \"La consecución de una alineación")
    assert warning.endswith("(hint: split long sentences and use shorter, everyday words; or lower "
                            "reading_ease_min in studio.yaml, now 55)")
    assert (tmp_path / "neck-rest.es.classic.letter.pdf").is_file()
    checked = runner.invoke(app, ["--project", str(ROOT), "check", str(file)])
    assert checked.exit_code == 1 and checked.stdout.startswith(f"error: {file}:5:1: summary: INFLESZ ease -31.2")


def test_a_hard_english_block_is_a_warning_naming_reading_grade_max(tmp_path):
    file = DATA / "hard.en.yaml"
    path, warning = built_with_one_warning(file, tmp_path)
    assert warning.startswith(f"warning: {file}:5:1: summary: reading grade 32.1 is above 8 in the summary; "
                              "hardest: \"Physiological equilibrium emerges gradually.\" (39.1)")
    assert "raise reading_grade_max in studio.yaml, now 8)" in warning
    assert path == str(tmp_path / "neck-rest.en.classic.letter.pdf")


def test_strict_build_stops_on_the_warning_and_writes_nothing(tmp_path):
    file = DATA / "hard.en.yaml"
    result = runner.invoke(app, ["--project", str(ROOT), "build", str(file), "--out", str(tmp_path), "--strict"])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"warning: {file}:5:1: summary: reading grade 32.1")
    assert lines[1] == ("error: strict: stopped on 1 warning: nothing was written "
                        "(hint: fix what the warnings say, or build without --strict)")
    assert list(tmp_path.iterdir()) == []


def test_strict_check_fails_on_a_warning_alone():
    file = str(DATA / "unsourced-takeaway.en.yaml")
    assert runner.invoke(app, ["--project", str(ROOT), "check", file]).exit_code == 0
    assert runner.invoke(app, ["--project", str(ROOT), "check", file, "--strict"]).exit_code == 1


def test_a_stricter_spanish_limit_is_applied_to_spanish_only(studio_dir):
    studio_file = studio_dir / "studio.yaml"
    studio_file.write_text(set_ease(studio_file, 95), encoding="utf-8")
    spanish = runner.invoke(app, ["--project", str(studio_dir), "check", "constructive-rest.es"])
    assert spanish.exit_code == 1
    assert "is below 95 in the safety; hardest:" in spanish.stdout and "reading_ease_min in studio.yaml, now 95" in spanish.stdout
    english = runner.invoke(app, ["--project", str(studio_dir), "check", "constructive-rest.en"])
    assert "reading grade" not in english.stdout and "INFLESZ" not in english.stdout


def test_a_wrong_limit_is_told_at_its_line(studio_dir):
    studio_file = studio_dir / "studio.yaml"
    studio_file.write_text(set_ease(studio_file, 140), encoding="utf-8")
    result = runner.invoke(app, ["--project", str(studio_dir), "build"])
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    number = next(n for n, text in enumerate(studio_file.read_text(encoding="utf-8").splitlines(), 1)
                  if text.startswith("reading_ease_min"))
    assert line.startswith(f"error: {studio_file}:{number}:") and "reading_ease_min" in line
