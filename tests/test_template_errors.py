"""Broken templates and bugs: one line naming the file and line, never a traceback."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from handouts.build import build_handout
from handouts.cli import app
from handouts.errors import RenderError, TemplateError
from handouts.project import Project

from conftest import ROOT

runner = CliRunner()
MACROS = ROOT / "templates" / "_base" / "macros.rml.j2"
CLASSIC = ROOT / "templates" / "classic" / "handout.rml.j2"


def override(studio_dir, source, relative: str, old: str, new: str) -> tuple:
    """A studio copy of a bundled template file with one change; the changed line's number."""
    text = source.read_text(encoding="utf-8")
    assert old in text
    target = studio_dir / "templates" / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    if relative.startswith("classic/"):
        shutil.copy(source.parent / "template.yaml", target.parent / "template.yaml")
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    return target, text[: text.index(old)].count("\n") + 1


def test_an_undefined_value_in_a_base_macro_names_the_studio_file_and_line(studio_dir):
    file, line = override(studio_dir, MACROS, "_base/macros.rml.j2", "{{ content.title|text }}", "{{ content.titel|text }}")
    with pytest.raises(TemplateError) as caught:
        build_handout(project=Project(root=studio_dir), out_dir=studio_dir / "out")
    problem = caught.value.problems[0]
    assert (str(problem.file), problem.line) == (str(file), line)
    assert "titel" in problem.message
    assert not (studio_dir / "out").exists()


def test_a_jinja_syntax_error_names_the_file_and_line(studio_dir):
    file, line = override(studio_dir, CLASSIC, "classic/handout.rml.j2", "{{ m.sections(content, picture_w=col_w * fit.picture, room=col_w) }}",
                          "{{ m.sections(content, picture_w=col_w * fit.picture, room=col_w) }")
    with pytest.raises(TemplateError, match="template syntax") as caught:
        build_handout(project=Project(root=studio_dir), out_dir=studio_dir / "out")
    assert (str(caught.value.problems[0].file), caught.value.problems[0].line) == (str(file), line)


def test_a_template_that_fails_while_rendering_names_its_line(studio_dir):
    file, line = override(studio_dir, CLASSIC, "classic/handout.rml.j2", "{{ m.sections(content, picture_w=col_w * fit.picture, room=col_w) }}",
                          "{{ m.sections(content, picture_w=col_w * fit.picture, room=col_w) }}{{ content.title + 1 }}")
    with pytest.raises(TemplateError) as caught:
        build_handout(project=Project(root=studio_dir), out_dir=studio_dir / "out")
    assert (str(caught.value.problems[0].file), caught.value.problems[0].line) == (str(file), line)


def test_a_bad_rml_attribute_names_the_template_and_rml_line_and_keep_rml_keeps_it(studio_dir):
    override(studio_dir, CLASSIC, "classic/handout.rml.j2", "{{ m.sections(content, picture_w=col_w * fit.picture, room=col_w) }}",
             '{{ m.sections(content, picture_w=col_w * fit.picture, room=col_w) }}\n<spacer length="tall"/>')
    out = studio_dir / "out"
    with pytest.raises(RenderError) as caught:
        build_handout(project=Project(root=studio_dir), out_dir=out)
    problem = caught.value.problems[0]
    assert problem.file.endswith("classic/handout.rml.j2") and "'tall' is not a valid measurement" in problem.message
    assert "--keep-rml" in problem.hint and not out.exists()
    line = int(problem.message.rsplit("rendered RML line ", 1)[1].rstrip(")"))
    with pytest.raises(RenderError) as caught:
        build_handout(project=Project(root=studio_dir), out_dir=out, keep_rml=True)
    kept = out / "constructive-rest.en.classic.letter.rml"
    assert f"kept in {kept}" in caught.value.problems[0].hint
    assert 'length="tall"' in kept.read_text(encoding="utf-8").splitlines()[line - 1]
    assert sorted(p.name for p in out.iterdir()) == [kept.name]


def test_broken_rml_xml_names_the_rendered_line(studio_dir):
    override(studio_dir, CLASSIC, "classic/handout.rml.j2", "{{ m.sections(content, picture_w=col_w * fit.picture, room=col_w) }}",
             "{{ m.sections(content, picture_w=col_w * fit.picture, room=col_w) }}\n<para>open</b>")
    with pytest.raises(RenderError, match=r"not valid XML: .*\(rendered RML line \d+\)"):
        build_handout(project=Project(root=studio_dir), out_dir=studio_dir / "out")


def test_an_unexpected_exception_is_one_line_and_exit_1_without_debug(tmp_path):
    # A bug stands in as a template filter that raises something the tool does not expect.
    script = ("import sys; from handouts import build\n"
              "def bug(*a, **k): raise ZeroDivisionError('division by zero')\n"
              "build.render_pdf = bug\n"
              "from handouts.cli import main; sys.argv = ['handouts'] + sys.argv[1:]; main()\n")
    run = [sys.executable, "-c", script]
    env = {"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"}
    plain = subprocess.run(run + ["build", "--out", str(tmp_path)], capture_output=True, text=True, env=env)
    assert plain.returncode == 1
    assert plain.stderr.startswith("internal error: ZeroDivisionError in build.py:")
    assert plain.stderr.strip().endswith("(run with --debug for the traceback)") and "\n" not in plain.stderr.strip()
    debug = subprocess.run(run + ["--debug", "build", "--out", str(tmp_path)], capture_output=True, text=True, env=env)
    assert debug.returncode == 1 and "Traceback" in debug.stderr


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def a_template(studio_dir, main=(), macros=()):
    """A studio template 'mine' (a copy of classic) and, when edited, a copy of the shared macros.

    ``main`` and ``macros`` are (old, new) text replacements.
    """
    folder = studio_dir / "templates" / "mine"
    shutil.copytree(ROOT / "templates" / "classic", folder)
    for old, new in main:
        text = (folder / "handout.rml.j2").read_text(encoding="utf-8")
        assert old in text
        (folder / "handout.rml.j2").write_text(text.replace(old, new, 1), encoding="utf-8")
    if macros:
        (studio_dir / "templates" / "_base").mkdir()
        text = (ROOT / "templates" / "_base" / "macros.rml.j2").read_text(encoding="utf-8")
        for old, new in macros:
            assert old in text
            text = text.replace(old, new, 1)
        (studio_dir / "templates" / "_base" / "macros.rml.j2").write_text(text, encoding="utf-8")
    return folder


def build_mine(studio_dir, error, **options):
    with pytest.raises(error) as caught:
        build_handout(project=Project(root=studio_dir), template="mine", out_dir=studio_dir / "out", **options)
    return caught.value.problems[0]


def test_a_jinja_syntax_error_in_the_shared_macros_names_the_macros_file(studio_dir):
    a_template(studio_dir, macros=[("{{ content.title|text }}", "{{ content.title|text }")])
    problem = build_mine(studio_dir, TemplateError)
    macros = studio_dir / "templates" / "_base" / "macros.rml.j2"
    assert (Path(problem.file), problem.line) == (macros, line_of(macros.read_text(encoding="utf-8"), "title|text }<"))


def test_an_undefined_value_in_a_macro_names_its_line_and_suggests_the_field(studio_dir):
    a_template(studio_dir, macros=[("{{ content.title|text }}", "{{ content.titel|text }}")])
    problem = build_mine(studio_dir, TemplateError)
    macros = studio_dir / "templates" / "_base" / "macros.rml.j2"
    assert (Path(problem.file), problem.line) == (macros, line_of(macros.read_text(encoding="utf-8"), "content.titel"))
    assert problem.message == "template uses an undefined value: Content has no field 'titel'"
    assert problem.hint.startswith("did you mean 'title'?")


def test_an_undefined_template_variable_suggests_the_one_the_template_set(studio_dir):
    a_template(studio_dir, main=[('leftMargin="{{ margin }}"', 'leftMargin="{{ margn }}"')])
    problem = build_mine(studio_dir, TemplateError)
    assert "'margn' is undefined" in problem.message and problem.hint.startswith("did you mean 'margin'?")


def test_a_typo_passed_into_a_macro_is_reported_where_it_was_written(studio_dir):
    """StrictUndefined fails inside the macro that uses the value; the typo is in the caller."""
    folder = a_template(studio_dir, main=[("{{ m.safety(content, labels) }}", "{{ m.safety(content, lables) }}")])
    problem = build_mine(studio_dir, TemplateError)
    assert (Path(problem.file), problem.line) == (folder / "handout.rml.j2",
                                                   line_of((folder / "handout.rml.j2").read_text(), "lables"))
    assert problem.hint.startswith("did you mean 'labels'?")


def test_a_misspelled_macro_suggests_the_macro_meant(studio_dir):
    folder = a_template(studio_dir, main=[("{{ m.sections(content, ", "{{ m.sectons(content, ")])
    problem = build_mine(studio_dir, TemplateError)
    assert problem.line == line_of((folder / "handout.rml.j2").read_text(), "m.sectons")
    assert problem.message == "template uses an undefined value: the imported macros have no 'sectons'"
    assert problem.hint.startswith("did you mean 'sections'?")


def test_a_bad_attribute_value_is_mapped_back_to_the_template_line(studio_dir):
    folder = a_template(studio_dir, main=[('<frame id="right" x1="{{ W - margin - col_w }}"',
                                           '<frame id="right" x1="zero"')])
    problem = build_mine(studio_dir, RenderError)
    text = (folder / "handout.rml.j2").read_text(encoding="utf-8")
    assert Path(problem.file) == folder / "handout.rml.j2"
    assert problem.line == line_of(text, 'x1="zero"')  # each frame is one line of its own
    assert "'zero' is not a valid measurement" in problem.message and "rendered RML line" in problem.message
    assert "--keep-rml" in problem.hint
    assert not (studio_dir / "out").exists()


def test_a_misspelled_tag_is_an_error_not_a_silently_wrong_page(studio_dir):
    folder = a_template(studio_dir, main=[('<setNextTemplate name="later"/>', '<setNextTemplat name="later"/>')])
    problem = build_mine(studio_dir, RenderError)
    assert "'setNextTemplat' could not be processed" in problem.message
    assert (Path(problem.file), problem.line) == (folder / "handout.rml.j2",
                                                   line_of((folder / "handout.rml.j2").read_text(), "<setNextTemplat "))


def test_broken_xml_points_at_the_tag_left_open(studio_dir):
    folder = a_template(studio_dir, main=[('<setNextTemplate name="later"/>', '<setNextTemplate name="later">')])
    problem = build_mine(studio_dir, RenderError)
    assert "not valid XML" in problem.message
    assert problem.line == line_of((folder / "handout.rml.j2").read_text(), '<setNextTemplate name="later">')


def test_keep_rml_from_the_command_line_prints_both_files(tmp_path):
    result = runner.invoke(app, ["build", "--keep-rml", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert result.stdout.split() == [str(tmp_path / "constructive-rest.en.classic.letter.pdf"),
                                     str(tmp_path / "constructive-rest.en.classic.letter.rml")]
    assert (tmp_path / "constructive-rest.en.classic.letter.rml").read_text(encoding="utf-8").startswith("<?xml")


def test_a_layout_extending_classic_without_its_fit_settings_names_its_template_yaml(studio_dir):
    folder = studio_dir / "templates" / "a4-only"
    folder.mkdir(parents=True)
    (folder / "template.yaml").write_text("title: A4 only\ndescription: The classic sheet, on A4.\npapers: [a4]\n",
                                          encoding="utf-8")
    (folder / "handout.rml.j2").write_text('{% extends "!builtin/classic/handout.rml.j2" %}', encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        build_handout(template="a4-only", paper="a4", project=Project(root=studio_dir), out_dir=studio_dir / "out")
    [problem] = caught.value.problems
    assert (Path(problem.file), problem.field) == (folder / "template.yaml", "fit")
    assert problem.message.startswith("the layout reads the fit setting 'size' (at classic/handout.rml.j2:")
    assert problem.hint.startswith("give each setting under fit: a size:, or extends: the layout")
    assert not (studio_dir / "out").exists()


def test_citations_in_a_layout_that_prints_no_references_are_named(studio_dir):
    """A citation [n] links to its reference; a layout without the list gets a plain line, not ReportLab's."""
    folder = studio_dir / "templates" / "no-sources"
    folder.mkdir(parents=True)
    (folder / "template.yaml").write_text("extends: classic\ntitle: No sources\ndescription: Safety only.\n",
                                          encoding="utf-8")
    source = CLASSIC.read_text(encoding="utf-8")
    assert "{{ m.references(content, labels) }}" in source
    (folder / "handout.rml.j2").write_text(source.replace("{{ m.references(content, labels) }}", ""), encoding="utf-8")
    with pytest.raises(RenderError) as caught:
        build_handout(template="no-sources", project=Project(root=studio_dir), out_dir=studio_dir / "out")
    [problem] = caught.value.problems
    assert problem.message.startswith("the handout cites reference '")
    assert problem.message.endswith("but this template prints no list of references for the citation to link to")
    assert problem.hint == "print them in the template: {{ m.references(content, labels) }}"
