"""A studio's look: contrast warnings, the logo, QR codes, its own fonts."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader
from test_build import fonts_of
from typer.testing import CliRunner

from handouts.build import build_handout, prepare
from handouts.cli import app
from handouts.errors import ContentError
from handouts.layout import branding, fonts
from handouts.project import Project

from conftest import pdf_text

LOGO_SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="120" height="60" viewBox="0 0 120 60">
  <rect x="0" y="0" width="120" height="60" rx="12" fill="#123456"/>
</svg>
"""


SHORT = """\
id: short
lang: en
title: A short handout
summary: Just enough to fill one page.
reviewed: 2026-11-20
sections:
  - heading: Rest
    body: Lie down *gently* and rest.
safety:
  - Stop if anything hurts.
"""


def short_content(folder: Path) -> str:
    """A one-section content file in ``folder``'s content/, for layout-independent checks."""
    (folder / "content").mkdir(exist_ok=True)
    (folder / "content" / "short.en.yaml").write_text(SHORT, encoding="utf-8")
    return "short"


def edit_studio(folder: Path, **changes) -> Path:
    """Change top-level fields of the studio.yaml in ``folder`` (merging mappings)."""
    file = folder / "studio.yaml"
    data = yaml.safe_load(file.read_text(encoding="utf-8"))
    for key, value in changes.items():
        data[key] = {**data[key], **value} if isinstance(value, dict) and key in data else value
    file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return file


def line_of(file: Path, text: str) -> int:
    return next(n for n, line in enumerate(file.read_text().splitlines(), 1) if text in line)


@pytest.mark.parametrize(("first", "second", "ratio"), [
    ("#FFFFFF", "#000000", 21.0), ("#FFFFFF", "#FFFFFF", 1.0), ("#777777", "#FFFFFF", 4.48), ("#1F4E5F", "#FFFFFF", 9.08),
])
def test_contrast_is_wcag(first, second, ratio):
    assert branding.contrast(first, second) == pytest.approx(ratio, abs=0.01)


def test_the_bundled_colours_pass(project):
    assert prepare(project).warnings == ()


def test_a_pale_primary_warns_at_its_line_with_a_readable_shade(studio_dir):
    file = edit_studio(studio_dir, colors={"primary": "#A8C8D8"})
    job = prepare(Project(root=studio_dir))
    [warning] = job.warnings
    assert warning.severity == "warning" and warning.field == "colors.primary"
    assert (warning.file, warning.line) == (file, line_of(file, "primary:"))
    assert "#A8C8D8 is too pale to read or to photocopy (1.8:1 against white; text needs 4.5:1)" in warning.message
    shade = re.search(r"#[0-9A-F]{6}", warning.hint).group()
    assert f"it prints as {shade}" in warning.message
    assert 4.5 <= branding.contrast(shade, job.studio.colors.sidebar) < 5.0


def test_a_dark_sidebar_fill_warns(studio_dir):
    edit_studio(studio_dir, colors={"sidebar": "#5A6A70"})
    [warning] = prepare(Project(root=studio_dir)).warnings
    assert warning.field == "colors.sidebar" and "too dark for the text on it" in warning.message
    fill = re.search(r"#[0-9A-F]{6}", warning.hint).group()
    assert branding.contrast(fill, branding.BODY_TEXT) >= 4.5


def test_the_cli_prints_the_warning_and_still_builds(studio_dir, tmp_path):
    file = edit_studio(studio_dir, colors={"accent": "#F0C0A0"})
    result = CliRunner().invoke(app, ["--project", str(studio_dir), "build", "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith(f"warning: {file}:{line_of(file, 'accent:')}:")
    assert "colors.accent: #F0C0A0 is too pale" in result.stderr and "e.g. #" in result.stderr
    assert Path(result.stdout.strip()).is_file()


def test_an_svg_logo_is_drawn_as_vectors_in_the_header(studio_dir, tmp_path):
    (studio_dir / "brand").mkdir()
    (studio_dir / "brand" / "logo.svg").write_text(LOGO_SVG, encoding="utf-8")
    edit_studio(studio_dir, logo="brand/logo.svg")
    pdf = build_handout(project=Project(root=studio_dir), out_dir=tmp_path).path
    page = PdfReader(pdf).pages[0]
    # The logo's fill colour (#123456) is set as a vector fill on page 1; no image was made of it.
    assert re.search(rb"\.0705\d* \.2039\d* \.3372\d* rg", page.get_contents().get_data())
    assert "/XObject" not in page["/Resources"] or not any(
        x.get_object()["/Subtype"] == "/Image" for x in page["/Resources"]["/XObject"].values())


@pytest.mark.parametrize(("logo", "message"), [
    ("missing.svg", "logo file not found: missing.svg"),
    ("broken.png", "cannot read logo broken.png"),
    ("broken.svg", "cannot read logo broken.svg"),
    ("empty.svg", "logo empty.svg has no size"),
    ("logo.gif", "logo must be an SVG, PNG or JPEG file"),
])
def test_a_bad_logo_is_an_error_at_the_logo_line(studio_dir, tmp_path, logo, message):
    (studio_dir / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n not really")
    (studio_dir / "broken.svg").write_bytes(b"\x00\x01 not XML")
    (studio_dir / "empty.svg").write_text("<svg", encoding="utf-8")
    file = edit_studio(studio_dir, logo=logo)
    with pytest.raises(ContentError) as caught:
        build_handout(project=Project(root=studio_dir), out_dir=tmp_path / "out")
    [problem] = caught.value.problems
    assert (problem.file, problem.line, problem.field) == (file, line_of(file, "logo:"), "logo")
    assert message in problem.message
    assert not (tmp_path / "out").exists()


def test_website_and_video_print_as_qr_codes_with_their_addresses(studio_dir, tmp_path):
    edit_studio(studio_dir, contact={"video": "https://video.example/constructive-rest"})
    project = Project(root=studio_dir)
    branding.qr_drawing.cache_clear()
    pdf = build_handout(short_content(studio_dir), project=project, out_dir=tmp_path).path
    text = pdf_text(pdf)
    assert "Website harbourlight.example" in text
    assert "Video video.example /constructive-rest" in text  # the path on a line of its own
    build_handout("short", project=project, out_dir=tmp_path / "again")
    info = branding.qr_drawing.cache_info()
    assert (info.misses, info.hits) == (2, 2)  # each code drawn once, then reused


def test_qr_code_encodes_the_address():
    from reportlab.graphics.barcode import qrencoder

    drawing = branding.qr_drawing("https://harbourlight.example", 48)
    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData("https://harbourlight.example")
    code.make()
    dark = sum(sum(map(bool, row)) for row in code.modules)
    points = drawing.contents[0].points  # one path: four corners (x, y) per run of dark modules
    runs = [points[i:i + 8] for i in range(0, len(points), 8)]
    module = 48 / (code.getModuleCount() + 2)
    area = sum((run[2] - run[0]) * (run[5] - run[1]) for run in runs)
    assert round(area / module**2) == dark
    assert (drawing.width, drawing.height) == (48, 48)


def test_studio_fonts_replace_the_bundled_family(studio_dir, tmp_path):
    noto = fonts.default_fonts().fallback
    (studio_dir / "fonts").mkdir()
    names = {}
    for style in ("regular", "bold", "italic", "bold_italic"):
        shutil.copy(noto, studio_dir / "fonts" / f"House-{style}.ttf")
        names[style] = f"fonts/House-{style}.ttf"
    edit_studio(studio_dir, fonts=names)
    try:
        content = short_content(studio_dir)
        used = fonts_of(build_handout(content, project=Project(root=studio_dir), out_dir=tmp_path).path)
    finally:
        fonts.use(fonts.default_fonts())
    assert used and all(used.values()), used  # embedded
    assert all("NotoSans" in name for name in used), used


def test_branded_rml_is_known_to_the_engine(studio_dir):
    """The logo row and both QR codes use only tags and attributes z3c.rml knows."""
    from test_rml import unknown_attributes

    from handouts.build import context
    from handouts.layout.templating import render_rml

    (studio_dir / "logo.svg").write_text(LOGO_SVG, encoding="utf-8")
    edit_studio(studio_dir, logo="logo.svg", contact={"video": "https://video.example/rest"})
    project = Project(root=studio_dir)
    job = prepare(project)
    rml = render_rml(project, job.template, context(job, None))
    assert 'function="qr"' in rml and '"height": 26' in rml
    assert unknown_attributes(rml) == []
