"""The red team's reproducers (S2, S3, B01-B10, B20-B23), each kept as the case that showed it.

Every case runs the command line on a studio made by ``handouts init``, as
the reproducers do, and checks the one line it prints and its exit code (or,
where the input is fine, the PDF). The caches' cases (S1, S5) are in
test_cache.py.
"""

from __future__ import annotations

import os
import struct
import zlib
from pathlib import Path

import pikepdf
import pytest
import yaml
from typer.testing import CliRunner

from handouts.cli import app
from handouts.studio_init import init_studio

from conftest import pdf_text

runner = CliRunner()


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")


@pytest.fixture
def studio(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "studio"
    init_studio(folder, name="Test Studio", paper="letter", color="#1F4E5F")
    monkeypatch.chdir(folder)
    return folder


def run(*args: str):
    return runner.invoke(app, list(args))


def error_line(result) -> str:
    """The one error line a failed command printed (and that it printed only one)."""
    lines = result.stderr.strip().splitlines()
    assert result.exit_code == 1, result.output
    assert len(lines) == 1, lines
    return lines[0]


def with_line(studio: Path, base: str, extra: str, name: str = "x") -> str:
    file = studio / "content" / f"{name}.en.yaml"
    file.write_text((studio / "content" / base).read_text(encoding="utf-8") + extra, encoding="utf-8")
    return f"content/{name}.en.yaml"


def replaced(studio: Path, old: str, new: str, name: str) -> str:
    text = (studio / "content" / "constructive-rest.en.yaml").read_text(encoding="utf-8")
    assert old in text
    (studio / "content" / f"{name}.en.yaml").write_text(text.replace(old, new, 1), encoding="utf-8")
    return f"content/{name}.en.yaml"


def lines_of(file: Path) -> int:
    return len(file.read_text(encoding="utf-8").splitlines())


def at(studio: Path, name: str, needle: str) -> str:
    """``line:column`` of the first line of the studio file ``name`` that holds ``needle`` (at its key)."""
    for number, line in enumerate((studio / name).read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return f"{number}:{len(line) - len(line.lstrip()) + 1}"
    raise AssertionError(f"{needle!r} not in {name}")


# --- S2, S3 -------------------------------------------------------------------------------------

def with_links(studio: Path, body: str) -> None:
    """content/links.en.yaml: the bundled handout whose first section's text is ``body``."""
    data = yaml.safe_load((studio / "content" / "constructive-rest.en.yaml").read_text(encoding="utf-8"))
    data["reviewed"] = "2026-11-20"
    data["sections"][0]["body"] = body
    (studio / "content" / "links.en.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


def test_s2_links_to_files_shares_and_programs_are_content_errors(studio, tmp_path):
    with_links(studio, "Read [the notes](pdf:/etc/passwd). Or [our share](smb://192.0.2.1/share). "
                       "Or [run](launch:/bin/sh). Or [this](/etc/passwd).")
    result = run("build", "content/links.en.yaml", "--template", "large-print", "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    where = at(studio, "content/links.en.yaml", "body: Read [the notes]")
    assert result.stderr.splitlines() == [
        f"error: content/links.en.yaml:{where}: sections.0.body: links may go to https, http, mailto and tel addresses "
        f"only, not '{scheme}:' ('{url}') (hint: link to a web page instead (https://...))"
        for scheme, url in (("pdf", "pdf:/etc/passwd"), ("smb", "smb://192.0.2.1/share"), ("launch", "launch:/bin/sh"))
    ] + [f"error: content/links.en.yaml:{where}: sections.0.body: '/etc/passwd' is not a link a handout can carry: it "
         "needs https://, http://, mailto: or tel: in front (hint: write the whole web address, e.g. "
         "https://example.com/page)"]
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("url, says", [
    ("https://www.nhs.uk@evil.example/advice", "names someone before '@' where the site's name goes"),
    ("https://user:secret@example.org/", "names someone before '@' where the site's name goes"),
    ("mailto:desk@example.org?attach=/etc/passwd", "asks the mail program for 'attach'"),
    ("tel:javascript:alert(1)", "is not a phone number after tel:"),
])
def test_s2_links_of_an_allowed_scheme_that_hide_where_they_go_are_content_errors(studio, tmp_path, url, says):
    """The class of S2: an allowed scheme that disguises its site, attaches a file or is no number."""
    with_links(studio, f"Ask [us]({url}).")
    result = run("build", "content/links.en.yaml", "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert line.startswith("error: content/links.en.yaml:") and "sections.0.body:" in line and says in line, line
    assert not (tmp_path / "out").exists()


def test_s2_ordinary_mail_and_phone_links_still_print(studio, tmp_path):
    with_links(studio, "Write to [the desk](mailto:desk@example.org?subject=Constructive%20rest) or "
                       "call [us](tel:+1-555-014-2290).")
    result = run("build", "content/links.en.yaml", "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output


def test_s3_a_logo_that_is_a_link_out_of_the_studio_is_refused_by_the_name_written(studio, tmp_path):
    private = tmp_path / "elsewhere" / "private.png"
    private.parent.mkdir()
    from PIL import Image

    Image.new("RGB", (40, 20), (200, 30, 30)).save(private)
    os.symlink(private, studio / "logo.png")
    with (studio / "studio.yaml").open("a") as handle:
        handle.write("logo: logo.png\n")
    line = error_line(run("build", "--out", str(tmp_path / "out")))
    assert line == (f"error: {studio / 'studio.yaml'}:{lines_of(studio / 'studio.yaml')}:1: logo: logo path 'logo.png' "
                    "leaves the studio folder (it is a link to a file elsewhere) (hint: keep the logo itself in the "
                    "studio folder, e.g. logo: images/logo.svg)")
    assert "private" not in line


# --- B01-B10 -------------------------------------------------------------------------------------

def test_b01_a_list_as_a_key_is_a_located_error(studio, tmp_path):
    name = with_line(studio, "constructive-rest.en.yaml", "? [a, b]\n: list as a key\n")
    line = lines_of(studio / name) - 1
    for command in (["build", name, "--out", str(tmp_path)], ["check", name]):
        result = run(*command)
        assert result.exit_code == 1
        assert result.output.splitlines()[0] == (
            f"error: {name}:{line}:3: a field name here is a list or a mapping (YAML's '? [a, b]'); field names are "
            "plain text (hint: write each field as 'name: value')")


def test_b02_an_unknown_key_with_a_bracket_is_an_unknown_field(studio, tmp_path):
    name = with_line(studio, "constructive-rest.en.yaml", "notes[1]: a typo of the author\n")
    line = error_line(run("build", name, "--out", str(tmp_path)))
    assert line.startswith(f"error: {name}:{lines_of(studio / name)}:1: notes[1]: unknown field (hint: allowed here: id,")


def with_picture(studio: Path, name: str, data: bytes) -> str:
    """A handout (its content file's name) whose illustration is ``data``, saved as images/``name``."""
    (studio / "content" / "images" / name).write_bytes(data)
    return replaced(studio, "images/constructive-rest.svg", f"images/{name}", name.split(".")[0])


def bomb_png(width: int, height: int) -> bytes:
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\0\0")) + chunk(b"IEND", b""))


@pytest.mark.parametrize("side", [100_000, 13_000])
def test_b03_a_png_claiming_huge_dimensions_is_refused_without_a_python_warning(studio, tmp_path, side):
    name = with_picture(studio, "bomb.png", bomb_png(side, side))
    line = error_line(run("build", name, "--out", str(tmp_path)))
    assert line == (f"error: {name}:{at(studio, name, 'file: images/bomb.png')}: illustration.file: images/bomb.png: the picture has more than 40 million "
                    "pixels, the most a handout takes (hint: save it smaller: 3000 pixels across prints sharp at "
                    "any size a handout uses)")


def test_b03_the_same_picture_as_a_logo(studio, tmp_path):
    (studio / "logo.png").write_bytes(bomb_png(100_000, 100_000))
    with (studio / "studio.yaml").open("a") as handle:
        handle.write("logo: logo.png\n")
    line = error_line(run("build", "--out", str(tmp_path)))
    assert line.endswith("logo: cannot read logo logo.png: the picture has more than 40 million pixels, the most a "
                         "handout takes (hint: save it smaller: 3000 pixels across prints sharp at any size a handout "
                         "uses)")


def test_b04_an_svg_of_infinite_width_is_refused(studio, tmp_path):
    name = with_picture(studio, "inf.svg", b'<svg xmlns="http://www.w3.org/2000/svg" width="inf" height="50">'
                                           b'<rect width="100" height="50"/></svg>')
    line = error_line(run("build", name, "--out", str(tmp_path)))
    assert line == (f"error: {name}:{at(studio, name, 'file: images/inf.svg')}: illustration.file: images/inf.svg: the SVG says it is inf x 37.5 points; a "
                    "picture may be at most 14400 points (200 inches) a side (hint: set width and height on its "
                    '<svg> element to its real size, e.g. width="400" height="300", or give it a viewBox)')


def test_b05_a_truncated_font_is_named_at_its_line(studio, tmp_path):
    from handouts.layout.fonts import default_fonts

    (studio / "fonts").mkdir()
    (studio / "fonts" / "cut.ttf").write_bytes(default_fonts().regular.read_bytes()[:2000])
    with (studio / "studio.yaml").open("a") as handle:
        handle.write("fonts:\n  regular: fonts/cut.ttf\n")
    line = error_line(run("build", "--out", str(tmp_path)))
    assert line == (f"error: {studio / 'studio.yaml'}:{lines_of(studio / 'studio.yaml')}:3: fonts.regular: "
                    "fonts/cut.ttf: the TrueType font is damaged or cut short (hint: copy the font file again, "
                    "or use another)")


def with_svg_text(studio: Path, text: str) -> str:
    """A handout whose illustration is an SVG holding ``text``."""
    return with_picture(studio, "t.svg", '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100"><text '
                                         f'x="5" y="40" font-size="20">{text}</text></svg>'.encode("utf-8"))


def test_b06_text_in_an_svg_the_body_font_lacks_is_refused(studio, tmp_path):
    name = with_svg_text(studio, "Hi 😀")
    line = error_line(run("build", name, "--out", str(tmp_path)))
    assert line == (f"error: {name}:{at(studio, name, 'file: images/t.svg')}: illustration.file: images/t.svg: the character '😀' (U+1F600) is not in "
                    "the body font, which sets the text inside pictures (in the picture's text 'Hi 😀') (hint: change "
                    "the text in the drawing, or convert it to outlines (paths))")


def test_b06_text_the_body_font_has_prints_inside_the_picture(studio, tmp_path):
    name = with_svg_text(studio, "Hüfte Zoë")
    result = run("build", name, "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "Hüfte Zoë" in pdf_text(tmp_path / "constructive-rest.en.classic.letter.pdf")


def test_b07_a_website_too_long_for_a_qr_code(studio, tmp_path):
    with (studio / "studio.yaml").open("a") as handle:
        handle.write(f"contact:\n  website: https://harbour.example/{'a' * 5000}\n")
    line = error_line(run("build", "--out", str(tmp_path)))
    assert line == (f"error: {studio / 'studio.yaml'}:{lines_of(studio / 'studio.yaml')}:3: contact.website: the "
                    "address is 5024 characters long; at most 300 are allowed here (hint: use a shorter address for "
                    "the same page (many sites have a short link for sharing))")


def test_b08_source_date_epoch_past_any_date(studio, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "99999999999999999999")
    expected = ("error: SOURCE_DATE_EPOCH: '99999999999999999999' is not a time this tool can print (hint: seconds "
                "since 1970 (e.g. 1764547200 for 2025-12-01), or unset it)")
    assert error_line(run("build", "--client", "X", "--out", str(tmp_path))) == expected
    assert error_line(run("batch", "rosters/example.csv", "--out", str(tmp_path / "b"))) == expected


def test_b09_a_months_list_is_refused_at_its_line_dates_come_from_babel(studio, tmp_path):
    from handouts.project import Project

    labels = yaml.safe_load((Project().bundled / "templates/_base/labels/en.yaml").read_text(encoding="utf-8"))
    labels["months"] = ["January"]
    (studio / "templates" / "_base" / "labels").mkdir(parents=True)
    (studio / "templates" / "_base" / "labels" / "en.yaml").write_text(yaml.safe_dump(labels, allow_unicode=True))
    result = run("build", "--client", "X", "--date", "2026-12-01", "--out", str(tmp_path))
    assert result.exit_code == 1
    assert error_line(result).startswith(f"error: {studio / 'templates/_base/labels/en.yaml'}:")
    assert "months: month names are not a label: they print in the catalogue's language, from date_format" \
        in error_line(result)
    assert not list(tmp_path.glob("*.pdf"))


@pytest.mark.parametrize("kind", ["outside", "dangling", "folder"])
def test_b10_a_broken_studio_yaml_is_reported_never_replaced_by_the_demo_studio(studio, tmp_path, kind):
    real = studio / "studio.yaml"
    shared = tmp_path / "shared.yaml"
    shared.write_text(real.read_text(encoding="utf-8").replace("Test Studio", "My Real Studio"))
    real.unlink()
    if kind == "folder":
        real.mkdir()
    else:
        os.symlink(shared if kind == "outside" else tmp_path / "gone.yaml", real)
    line = error_line(run("build", "--out", str(tmp_path / "out")))
    reason = {"outside": f"leads outside {studio} (it is a link to a file elsewhere)",
              "dangling": "is a link to a file that does not exist", "folder": "is a folder, not a file"}[kind]
    assert line.startswith(f"error: {real}: {reason} (hint: ")
    assert not (tmp_path / "out").exists()


# --- B20-B23 -------------------------------------------------------------------------------------

def test_b20_a_personal_box_off_the_page_is_refused_at_template_yaml(studio, tmp_path):
    folder = studio / "templates" / "offpage"
    folder.mkdir(parents=True)
    (folder / "template.yaml").write_text("title: T\ndescription: d\n"
                                          "personal_box: {top: 5000, right: 5000, width: 100, height: 100}\n")
    (folder / "handout.rml.j2").write_text('{% extends "!builtin/classic/handout.rml.j2" %}\n')
    line = error_line(run("build", "--template", "offpage", "--client", "Zoe Lukasz", "--out", str(tmp_path)))
    assert line == (f"error: {folder / 'template.yaml'}:3:27: personal_box.right: the personal box lies off the page "
                    "on letter: right + width is 5100 pt, beyond the page's 612 pt width (hint: keep right + width "
                    "within 612 (points from the page's edges))")


def test_b21_a_fifo_where_a_file_is_looked_up_is_named_not_waited_on(studio, tmp_path):
    os.mkfifo(studio / "content" / "fifo.en.yaml")
    expected = (f"error: {studio / 'content' / 'fifo.en.yaml'}: is a named pipe (FIFO), not a file (hint: remove it, "
                "or put a regular file of that name there)")
    assert error_line(run("build", "fifo", "--out", str(tmp_path))) == expected
    assert run("check").output.splitlines()[0] == expected
    (studio / "content" / "fifo.en.yaml").unlink()
    (studio / "templates" / "pipe").mkdir()
    os.mkfifo(studio / "templates" / "pipe" / "template.yaml")
    assert error_line(run("build", "--template", "pipe", "--out", str(tmp_path))).startswith(
        f"error: {studio / 'templates' / 'pipe' / 'template.yaml'}: is a named pipe (FIFO), not a file")


def test_b21_a_fifo_as_a_label_catalogue(studio, tmp_path):
    (studio / "templates" / "_base" / "labels").mkdir(parents=True)
    os.mkfifo(studio / "templates" / "_base" / "labels" / "es.yaml")
    line = error_line(run("build", "--lang", "es", "--out", str(tmp_path)))
    assert line.startswith(f"error: {studio / 'templates/_base/labels/es.yaml'}: is a named pipe (FIFO), not a file")


@pytest.mark.parametrize("tag, says", [
    ("!!int", "!!int asks for a whole number, but nothing follows it"),
    ("!!int Rest", "!!int asks for a whole number, but 'Rest' follows it"),
    ("!!float x", "!!float asks for a number, but 'x' follows it"),
])
def test_b22_a_tag_whose_value_does_not_convert(studio, tmp_path, tag, says):
    name = replaced(studio, "title: Constructive Rest", f"title: {tag}", "x")
    line = error_line(run("build", name, "--out", str(tmp_path)))
    kind = tag.split()[0]
    assert line == f"error: {name}:3:8: title: {says} (hint: remove the {kind} tag, or write " + \
        ("a whole number" if kind == "!!int" else "a number") + " after it)"


def test_b23_a_language_tag_of_300_letters(studio, tmp_path):
    name = replaced(studio, "lang: en", f"lang: {'a' * 300}", "x")
    result = run("build", name, "--out", str(tmp_path))
    assert error_line(result) == (f"error: {name}:2:1: lang: '{'a' * 40}… (260 more characters)' is not a language "
                                  "tag (hint: a code such as en, es or pt-BR)")
    check = run("check", name)
    assert check.exit_code == 1 and check.output.splitlines()[0] == error_line(result)


def test_the_pdf_of_a_fine_studio_carries_only_allowed_links(studio, tmp_path):
    result = run("build", "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    with pikepdf.open(tmp_path / "constructive-rest.en.classic.letter.pdf") as pdf:
        actions = [annot.A for page in pdf.pages for annot in page.obj.get("/Annots") or [] if "/A" in annot]
    assert actions and all(str(action.S) in ("/URI", "/GoTo") for action in actions)
    assert all(str(action.URI).startswith("https://") for action in actions if str(action.S) == "/URI")
