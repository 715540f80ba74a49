"""The default handout, end to end: text, fonts, metadata, determinism."""

from __future__ import annotations

import pytest
import yaml
from pypdf import PdfReader

from handouts.build import build_handout
from handouts.content import markup
from handouts.errors import LayoutOverflowError

from conftest import DATE, ROOT, pdf_text, uncited

CONTENT = yaml.safe_load((ROOT / "content" / "constructive-rest.en.yaml").read_text(encoding="utf-8"))
STUDIO = yaml.safe_load((ROOT / "studio.yaml").read_text(encoding="utf-8"))


def words(text: str) -> str:
    return " ".join(markup.strip(text).split())


def test_default_handout_holds_every_part(default_pdf):
    text = uncited(pdf_text(default_pdf))
    assert default_pdf.name == "constructive-rest.en.classic.letter.pdf"
    assert CONTENT["title"] in text
    for section in CONTENT["sections"]:
        assert section["heading"] in text
        for step in section.get("steps", []):
            assert words(step) in text
    for position in CONTENT["sidebar"]["positions"]:
        assert position["label"] in text
        assert words(position["summary"]) in text
    for item in CONTENT["safety"]:
        assert words(item) in text
    assert " ".join(STUDIO["disclaimer"]["en"].split()) in text


def test_page_size_and_count(default_pdf, personal_pdf):
    letter = PdfReader(default_pdf)
    assert 1 <= len(letter.pages) <= 2
    assert [round(float(v)) for v in letter.pages[0].mediabox[2:]] == [612, 792]
    a4 = PdfReader(personal_pdf)
    assert [round(float(v)) for v in a4.pages[0].mediabox[2:]] == [595, 842]


def fonts_of(pdf) -> dict[str, bool]:
    """Every font used on any page -> whether its file is embedded."""
    found = {}
    for page in PdfReader(pdf).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            embedded = descriptor is not None and any(
                k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")
            )
            found[str(font["/BaseFont"])] = embedded
    return found


def test_every_font_is_embedded_and_none_is_base14(default_pdf, personal_pdf):
    for pdf in (default_pdf, personal_pdf):
        fonts = fonts_of(pdf)
        assert fonts and all(fonts.values()), fonts
        assert not any("Helvetica" in name or "Times" in name for name in fonts)


def test_personal_box_prints_name_date_and_note(personal_pdf):
    text = pdf_text(personal_pdf)
    assert "Zoë Łukasz" in text
    assert "1 December 2026" in text
    assert "A folded towel under your head" in text
    assert personal_pdf.name == "constructive-rest.en.classic.a4.zoe-lukasz.pdf"


def test_metadata_language_and_bookmarks(personal_pdf):
    reader = PdfReader(personal_pdf)
    assert reader.metadata.title == "Constructive Rest – Zoë Łukasz"
    assert reader.metadata.author == STUDIO["name"]
    assert reader.trailer["/Root"]["/Lang"] == "en"
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    for section in CONTENT["sections"]:
        assert section["heading"] in titles
    assert CONTENT["sidebar"]["title"] in titles


def test_reference_links_are_live(default_pdf):
    uris = []
    for page in PdfReader(default_pdf).pages:
        for annot in page.get("/Annots", []) or []:
            action = annot.get_object().get("/A")
            if action and "/URI" in action:
                uris.append(str(action["/URI"]))
    expected = [ref["url"] for ref in CONTENT["references"] if ref.get("url")]
    assert expected and set(expected) <= set(uris)


def test_rebuild_is_byte_identical(tmp_path, project):
    args = dict(project=project, client="Ana García", note="Rest 10 minutes", date=DATE)
    first = build_handout(out_dir=tmp_path / "a", **args).path.read_bytes()
    second = build_handout(out_dir=tmp_path / "b", **args).path.read_bytes()
    assert first == second


def test_note_too_long_for_a_fixed_box_is_an_error_and_writes_nothing(tmp_path, project):
    with pytest.raises(LayoutOverflowError, match="the note is too long for the personal box of template 'cue-card'"):
        build_handout(project=project, out_dir=tmp_path, template="cue-card", client="Ana", note="Breathe. " * 80,
                      date=DATE)
    assert not list(tmp_path.iterdir())


def test_a_growing_layout_grows_its_box_for_a_long_note(tmp_path, project):
    note = "Breathe slowly into your back ribs and let the floor hold you. " * 6
    built = build_handout(project=project, out_dir=tmp_path, client="Ana", note=note, date=DATE)
    assert " ".join(note.split()) in " ".join(pdf_text(built.path).split())


def test_pdf_opens_in_pdfium(default_pdf):
    import pypdfium2

    doc = pypdfium2.PdfDocument(str(default_pdf))
    bitmap = doc[0].render(scale=0.5).to_pil()
    assert bitmap.getextrema() != ((255, 255),) * 3  # something was drawn


def test_a_remembered_page_count_never_prints_a_wrong_total(project, tmp_path, monkeypatch):
    from handouts.build import prepare, render_pdf
    from handouts.layout import render

    job = prepare(project)
    first = render_pdf(job)
    monkeypatch.setattr(render, "_pages_seen", {k: 99 for k in render._pages_seen})
    again = render_pdf(job)
    assert again.pdf == first.pdf and again.pages == first.pages
    assert f"Page 1 of {first.pages}" in pdf_text(again.pdf)


def test_keywords_name_the_content_template_and_language(default_pdf):
    assert PdfReader(default_pdf).metadata["/Keywords"] == "constructive-rest, classic, en"
