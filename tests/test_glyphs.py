"""Every printed character comes from a font that has it, or the build stops first."""

from __future__ import annotations

import io
import shutil

import pytest
from pypdf import PdfReader

from handouts.build import build_handout
from handouts.errors import GlyphError
from handouts.project import Project

from conftest import DATE, ROOT, pdf_text

SOURCE = (ROOT / "content" / "constructive-rest.en.yaml").read_text(encoding="utf-8")
STEP = "Lay the towel where your head goes."


def content_with(studio_dir, old: str, new: str):
    """The default content with one text replaced, in a studio folder (its image copied along)."""
    assert old in SOURCE
    shutil.copytree(ROOT / "content" / "images", studio_dir / "content" / "images")
    file = studio_dir / "content" / "x.en.yaml"
    file.write_text(SOURCE.replace(old, new, 1), encoding="utf-8")
    return file


def embedded_fonts(pdf: bytes) -> set[str]:
    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


def build(studio_dir, file, **options):
    return build_handout(str(file), project=Project(root=studio_dir), out_dir=studio_dir / "out", date=DATE, **options)


def test_characters_the_body_font_lacks_print_from_the_fallback(studio_dir):
    file = content_with(studio_dir, STEP, "Дышите спокойно, **Ωμέγα**, *tiếng Việt*.")
    built = build(studio_dir, file, client="Ярослава")
    text = pdf_text(built.path)
    assert "Дышите спокойно, Ωμέγα, tiếng Việt." in text
    assert "Ярослава" in text
    assert any("NotoSans" in name for name in embedded_fonts(built.path.read_bytes()))


def test_a_latin_handout_embeds_only_the_body_family(default_pdf):
    assert not any("NotoSans" in name for name in embedded_fonts(default_pdf.read_bytes()))


def test_a_character_in_no_font_stops_the_build_at_its_line(studio_dir):
    file = content_with(studio_dir, STEP, "Smile 😀 and rest.")
    with pytest.raises(GlyphError) as caught:
        build(studio_dir, file)
    problem = caught.value.problems[0]
    line = SOURCE.splitlines().index(f"      - {STEP}") + 1
    assert (problem.file, problem.line, problem.column) == (file, line, 9)
    assert problem.field == "sections.1.steps.0"
    assert "'😀' (U+1F600) is in no font this handout uses" in problem.message
    assert "fonts in studio.yaml" in problem.hint
    assert not (studio_dir / "out").exists()


@pytest.mark.parametrize("option", ["client", "note"])
def test_an_emoji_in_the_personal_box_names_the_option_and_the_client(studio_dir, option):
    file = content_with(studio_dir, STEP, STEP)
    values = {"client": "Ana", "note": "Rest well"} | {option: "Ana 🌸"}
    with pytest.raises(GlyphError) as caught:
        build(studio_dir, file, **values)
    problem = caught.value.problems[0]
    assert problem.field == f"--{option}"
    assert "U+1F338" in problem.message and f"client '{values['client']}'" in problem.message
    assert not (studio_dir / "out").exists()


def test_control_characters_are_refused_and_whitespace_controls_print_as_spaces(studio_dir):
    file = content_with(studio_dir, "title: Constructive Rest", 'title: "Constructive\\x07 Rest"')
    with pytest.raises(GlyphError) as caught:
        build(studio_dir, file)
    assert caught.value.problems[0].field == "title"
    assert "U+0007 is a control character" in caught.value.problems[0].message
    file.write_text(SOURCE.replace("title: Constructive Rest", 'title: "Constructive\\tRest"'), encoding="utf-8")
    assert "Constructive Rest" in pdf_text(build(studio_dir, file).path)


@pytest.mark.parametrize("char", ["\u202e", "\u2066"])
def test_a_direction_control_in_a_name_is_refused_with_the_fix_to_remove_it(studio_dir, char):
    """A right-to-left override would reorder the name unseen, in the box and the bookmarks: no font makes it right."""
    file = content_with(studio_dir, STEP, STEP)
    with pytest.raises(GlyphError) as caught:
        build(studio_dir, file, client=f"Ana {char}aicraG")
    [problem] = caught.value.problems
    assert f"U+{ord(char):04X} is a direction control" in problem.message and problem.field == "--client"
    assert problem.hint.startswith("remove it")
    assert not (studio_dir / "out").exists()


def test_a_control_character_is_not_told_to_find_a_font(studio_dir):
    file = content_with(studio_dir, STEP, STEP)
    with pytest.raises(GlyphError) as caught:
        build(studio_dir, file, client="Ana\x07")
    assert caught.value.problems[0].hint.startswith("remove it")


def test_a_lone_surrogate_from_the_command_line_is_an_error_not_a_crash(studio_dir):
    file = content_with(studio_dir, STEP, STEP)
    with pytest.raises(GlyphError, match="lone surrogate") as caught:
        build(studio_dir, file, client="Ana\udcff")
    assert "\\udcff" in str(caught.value)


def labels_with(studio_dir, **changes):
    """A studio copy of the English label catalogue with some labels changed."""
    import yaml

    source = ROOT / "templates" / "_base" / "labels" / "en.yaml"
    labels = yaml.safe_load(source.read_text(encoding="utf-8")) | changes
    target = studio_dir / "templates" / "_base" / "labels" / "en.yaml"
    target.parent.mkdir(parents=True)
    target.write_text(yaml.safe_dump(labels, allow_unicode=True), encoding="utf-8")


def test_a_label_in_another_script_prints_from_the_fallback(studio_dir):
    labels_with(studio_dir, safety="Безопасность")
    file = content_with(studio_dir, STEP, STEP)
    assert "Безопасность" in pdf_text(build(studio_dir, file).path)


def test_a_page_label_the_body_font_lacks_prints_in_the_fallback_font(studio_dir):
    """The page number is a canvas string, which cannot switch fonts mid-line: the whole label takes the fallback."""
    labels_with(studio_dir, page="Страница")
    file = content_with(studio_dir, STEP, STEP)
    assert "Страница 1 of " in pdf_text(build(studio_dir, file).path)
