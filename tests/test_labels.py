"""Every word a template prints comes from the label catalogue of the handout's language."""

from __future__ import annotations

import re

import pytest
import yaml
from pypdf import PdfReader
from typer.testing import CliRunner

from handouts.cli import app

from conftest import ROOT, pdf_text

LABELS = ROOT / "templates" / "_base" / "labels"
runner = CliRunner()


def catalogue(lang: str) -> dict:
    return yaml.safe_load((LABELS / f"{lang}.yaml").read_text(encoding="utf-8"))


def test_spanish_has_every_label_english_has():
    en, es = catalogue("en"), catalogue("es")
    assert sorted(es) == sorted(en)
    for key, value in en.items():
        assert type(es[key]) is type(value), key
        if isinstance(value, list) and key != "get_help_phrases":  # months, weekdays; phrases are each language's own
            assert len(es[key]) == len(value), key


def _literal_text(source: str) -> str:
    """What a template prints of its own: the source less Jinja, plug-in parameters, tags and entities."""
    for pattern in (r"\{#.*?#\}", r"\{%.*?%\}", r"\{\{.*?\}\}", r"<!--.*?-->", r"<(plugIn\w+)[^>]*>.*?</\1>",
                    r"<[^>]*>", r"&\w+;"):
        source = re.sub(pattern, " ", source, flags=re.DOTALL)
    return source


@pytest.mark.parametrize("template", sorted(p.relative_to(ROOT / "templates").as_posix()
                                            for p in (ROOT / "templates").rglob("*.rml.j2")))
def test_templates_print_no_words_of_their_own(template):
    text = _literal_text((ROOT / "templates" / template).read_text(encoding="utf-8"))
    assert re.findall(r"[^\W\d_]{2,}", text) == []


def test_a_misplaced_word_is_caught():
    assert re.findall(r"[^\W\d_]{2,}", _literal_text('<para style="x">Page {{ n }}</para>')) == ["Page"]


@pytest.fixture(scope="module")
def spanish_pdf(tmp_path_factory):
    out = tmp_path_factory.mktemp("es")
    result = runner.invoke(app, ["--project", str(ROOT), "build", "--lang", "es", "--client", "Ana García",
                                    "--note", "Diez minutos", "--date", "2026-12-01", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out / "constructive-rest.es.classic.letter.ana-garcia.pdf"


def test_the_spanish_handout_reads_spanish(spanish_pdf):
    text = pdf_text(spanish_pdf)
    es = catalogue("es")
    studio = yaml.safe_load((ROOT / "studio.yaml").read_text(encoding="utf-8"))
    for expected in ("Para Ana García", "1 de diciembre de 2026", "Una nota para ti: Diez minutos",
                     "Duración:", es["safety"], es["sources"], es["common_ground"], es["takeaway"],
                     " ".join(studio["disclaimer"]["es"].split())):
        assert expected in text, expected
    pages = len(PdfReader(spanish_pdf).pages)
    assert all(f"Página {n} de {pages}" in text for n in range(1, pages + 1))
    assert " ".join(studio["disclaimer"]["en"].split()) not in text
    reader = PdfReader(spanish_pdf)
    assert reader.trailer["/Root"]["/Lang"] == "es"
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    assert es["safety"] in outline and es["sources"] in outline


def test_no_english_label_reaches_the_spanish_handout(spanish_pdf):
    text = pdf_text(spanish_pdf)
    en, es = catalogue("en"), catalogue("es")
    english = [value for key, value in en.items() if isinstance(value, str) and value != es[key] and len(value) > 4]
    english += ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                "November", "December"]  # English month names: Spanish dates come from Babel's Spanish ones
    # The references are English titles and may use any word: read the rest.
    before_references = text.split(es["sources"] + " [1]")[0]
    assert [word for word in english if word in before_references] == []


def test_a_handouts_own_disclaimer_wins_over_the_studios(tmp_path):
    content = tmp_path / "neck.en.yaml"
    base = (ROOT / "tests" / "data" / "content" / "base.en.yaml").read_text(encoding="utf-8")
    content.write_text(base + "disclaimer: Ask your teacher before you try this at home.\n", encoding="utf-8")
    result = runner.invoke(app, ["--project", str(ROOT), "build", str(content), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    text = pdf_text(tmp_path / "out" / "neck-rest.en.classic.letter.pdf")
    studio = yaml.safe_load((ROOT / "studio.yaml").read_text(encoding="utf-8"))
    assert "Ask your teacher before you try this at home." in text
    assert " ".join(studio["disclaimer"]["en"].split()) not in text


def test_a_layout_printing_studio_disclaimer_gets_the_handouts_language(project):
    from handouts.build import context, prepare

    job = prepare(project, lang="es")
    studio = yaml.safe_load((ROOT / "studio.yaml").read_text(encoding="utf-8"))
    values = context(job, None)
    assert values["studio"].disclaimer == values["disclaimer"] == studio["disclaimer"]["es"]


def test_the_bundled_catalogues_date_formats_are_cldr_patterns_babel_prints():
    from handouts.content.labels import date_format_problem

    for lang in ("en", "es"):
        data = catalogue(lang)
        assert date_format_problem(data["date_format"], lang) is None
        assert len(data["weekdays"]) == 7


def test_a_misspelt_or_made_up_label_in_a_studios_catalogue_stops_build_and_check_at_its_line(studio_dir):
    folder = studio_dir / "templates" / "_base" / "labels"
    folder.mkdir(parents=True)
    spanish = (LABELS / "es.yaml").read_text(encoding="utf-8")
    assert "\nprepared_for: Para\n" in spanish
    file = folder / "es.yaml"
    file.write_text(spanish.replace("\nprepared_for: Para\n", "\nprepard_for: Preparado para\n")
                    + "colour_of_the_day: Azul\n", encoding="utf-8")
    lines = file.read_text(encoding="utf-8").splitlines()
    typo, made_up = lines.index("prepard_for: Preparado para") + 1, len(lines)
    expected = [f"error: {file}:{typo}:1: prepard_for: unknown label (hint: did you mean 'prepared_for'?)",
                f"error: {file}:{made_up}:1: colour_of_the_day: unknown label (hint: use a name from "
                "templates/_base/labels/en.yaml, or remove the line)"]
    built = runner.invoke(app, ["--project", str(studio_dir), "build", "--lang", "es", "--client", "Ana",
                                "--out", str(studio_dir / "out")])
    assert (built.exit_code, built.output.splitlines()) == (1, expected)
    assert not (studio_dir / "out").exists()
    checked = runner.invoke(app, ["--project", str(studio_dir), "check", "constructive-rest.es"])
    assert checked.exit_code == 1
    assert [line for line in checked.output.splitlines() if line.startswith("error:")] == expected
