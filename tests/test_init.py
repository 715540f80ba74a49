"""`handouts init`: a studio folder that builds on the first try, and is found from below."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from test_build import fonts_of
from typer.testing import CliRunner

from handouts.cli import app

from conftest import pdf_text

runner = CliRunner()
NAME = "Harbour Light Pilates"
EXPECTED = [
    "README.md",
    "content/constructive-rest.en.yaml",
    "content/constructive-rest.es.yaml",
    "content/images/constructive-rest-getting-down.svg",
    "content/images/constructive-rest-getting-up.svg",
    "content/images/constructive-rest-side-lying.svg",
    "content/images/constructive-rest.svg",
    "rosters/example.csv",
    "studio.yaml",
    "templates/classic-notes/handout.rml.j2",
    "templates/classic-notes/template.yaml",
]


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch):
    monkeypatch.setenv("COLUMNS", "120")


def files_in(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def init(folder: Path, *args: str):
    result = runner.invoke(app, ["init", str(folder), *args])
    assert result.exit_code == 0, result.output
    return result


def build(*args: str):
    result = runner.invoke(app, ["build", *args])
    assert result.exit_code == 0, result.output
    return Path(result.stdout.strip())


def png_logo(file: Path) -> None:
    image = Image.new("RGB", (160, 80), "#7A3E9D")
    image.paste(Image.new("RGB", (60, 40), "#FFFFFF"), (50, 20))
    image.save(file)


def images_on(page) -> list:
    xobjects = page["/Resources"].get("/XObject") or {}
    return [x.get_object() for x in xobjects.values() if x.get_object()["/Subtype"] == "/Image"]


def test_init_writes_a_studio_that_builds_with_its_name_colour_and_logo(tmp_path, monkeypatch):
    folder = tmp_path / "harbour"
    result = init(folder, "--name", NAME, "--paper", "a4", "--color", "7a3e9d")
    assert files_in(folder) == EXPECTED
    assert f"created {folder / 'studio.yaml'}" in result.stdout
    assert result.stdout.rstrip().endswith(f"next: cd {folder} && handouts build")
    png_logo(folder / "logo.png")
    studio = folder / "studio.yaml"
    studio.write_text(studio.read_text().replace("# logo: logo.svg", "logo: logo.png"))

    monkeypatch.chdir(folder)
    pdf = build()
    assert pdf == folder / "output" / "constructive-rest.en.classic.a4.pdf"
    reader = PdfReader(pdf)
    assert NAME in pdf_text(pdf) and reader.metadata.author == NAME
    assert [round(float(v)) for v in reader.pages[0].mediabox[2:]] == [595, 842]  # a4
    [logo] = images_on(reader.pages[0])
    assert (logo["/Width"], logo["/Height"]) == (160, 80)
    assert b".478431 .243137 .615686 rg" in reader.pages[0].get_contents().get_data()  # #7A3E9D


def test_the_studio_builds_in_every_language_and_its_own_template(tmp_path, monkeypatch):
    folder = tmp_path / "studio"
    init(folder, "--name", NAME)
    monkeypatch.chdir(folder)
    assert "Descanso constructivo" in pdf_text(build("--lang", "es"))
    notes = build("--template", "classic-notes", "--client", "Zoë Łukasz", "--date", "2026-12-01")
    reader = PdfReader(notes)
    assert "Zoë Łukasz" in pdf_text(notes)
    assert len(reader.pages) == 3 and "Notes" in reader.pages[2].extract_text()
    assert "Notes" in [item.title for item in reader.outline if not isinstance(item, list)]
    used = fonts_of(notes)
    assert used and all(used.values()) and not any("Helvetica" in name for name in used)


def test_init_twice_never_overwrites(tmp_path):
    folder = tmp_path / "studio"
    init(folder, "--name", NAME)
    studio = folder / "studio.yaml"
    studio.write_text(studio.read_text().replace(NAME, "Edited by hand"))
    (folder / "content" / "constructive-rest.es.yaml").unlink()
    before = {name: (folder / name).read_bytes() for name in files_in(folder)}

    result = runner.invoke(app, ["--json", "init", str(folder), "--name", "Something Else"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert [Path(o["path"]).relative_to(folder).as_posix() for o in record["outputs"]] == [
        "content/constructive-rest.es.yaml"]
    assert len(record["details"]["skipped"]) == len(EXPECTED) - 1
    assert all((folder / name).read_bytes() == data for name, data in before.items())
    assert "Edited by hand" in studio.read_text()
    text = runner.invoke(app, ["init", str(folder)]).stdout
    assert f"skipped {studio} (already there)" in text


def test_commands_find_the_studio_from_a_subfolder_and_with_project(tmp_path, monkeypatch):
    folder = tmp_path / "studio"
    init(folder, "--name", NAME)
    content = folder / "content" / "constructive-rest.en.yaml"
    content.write_text(content.read_text(encoding="utf-8").replace(
        "title: Constructive Rest", "title: Constructive Rest at Harbour Light"), encoding="utf-8")
    below = folder / "content" / "images"
    monkeypatch.chdir(below)
    pdf = build()
    assert pdf == folder / "output" / "constructive-rest.en.classic.letter.pdf"  # the studio's output/, not the cwd's
    assert "Constructive Rest at Harbour Light" in pdf_text(pdf)  # the studio's content won over the bundled one

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    result = runner.invoke(app, ["--project", str(folder), "build", "--out", "pdfs"])
    assert result.exit_code == 0, result.output
    assert NAME in pdf_text(elsewhere / "pdfs" / "constructive-rest.en.classic.letter.pdf")


def test_init_without_a_terminal_never_prompts(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["init", "river-side_yoga"], input="")
    assert result.exit_code == 0, result.output
    studio = (tmp_path / "river-side_yoga" / "studio.yaml").read_text()
    assert 'name: "River Side Yoga"' in studio and "paper: letter" in studio
    assert result.stdout.rstrip().endswith("next: cd river-side_yoga && handouts build")


def test_init_in_the_current_folder_and_a_pale_colour(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["init", "--name", "Pale", "--color", "#AACCEE"])
    assert result.exit_code == 0, result.output
    assert result.stdout.rstrip().endswith("next: handouts build")
    assert "warning: studio.yaml:" in result.stderr and "colors.primary: #AACCEE is too pale" in result.stderr
    assert build().is_file()  # a warning, never a stop


@pytest.mark.parametrize("args", [["--color", "blue"], ["--color", "#12345"], ["--paper", "a3"]])
def test_bad_init_options_are_usage_errors(tmp_path, args):
    result = runner.invoke(app, ["init", str(tmp_path / "x"), *args])
    assert result.exit_code == 2
    assert not (tmp_path / "x").exists()


def test_the_roster_example_is_csv_with_the_design_columns(tmp_path):
    import csv

    init(tmp_path, "--name", NAME)
    rows = list(csv.DictReader(io.StringIO((tmp_path / "rosters" / "example.csv").read_text(encoding="utf-8"))))
    assert rows and {"first_name", "last_name", "email", "lang", "note"} <= set(rows[0])
