"""A studio template is someone else's file: it lays out pages and can do nothing else.

Each case is a studio template that extends the built-in classic layout and
slips one hostile line into its header: it must end as one error naming that
template file and line, with nothing written and nothing run.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PIL import Image

from handouts.build import build_handout
from handouts.errors import HandoutError, RenderError, TemplateError
from handouts.project import Project

from conftest import ROOT


def evil(studio: Path, line: str) -> tuple[Path, int]:
    """A studio template 'evil' whose header block holds ``line``; the file and that line's number."""
    folder = studio / "templates" / "evil"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "template.yaml").write_text((ROOT / "templates" / "classic" / "template.yaml").read_text())
    (folder / "handout.rml.j2").write_text(
        '{% extends "!builtin/classic/handout.rml.j2" %}\n'
        "{% block header %}{{ super() }}\n"
        f"{line}\n"
        "{% endblock %}\n", encoding="utf-8")
    return folder / "handout.rml.j2", 3


def refused(studio: Path, error=HandoutError):
    out = studio / "out"
    with pytest.raises(error) as caught:
        build_handout(project=Project(root=studio), template="evil", out_dir=out)
    assert not out.exists(), "nothing may be written"
    [problem] = caught.value.problems
    return problem


@pytest.mark.parametrize("expression, attribute", [
    ("{{ range.__init__.__globals__ }}", "__init__"),
    ("{{ content.__class__.__mro__ }}", "__class__"),
    ("{{ studio.model_dump() }}", "model_dump"),
    ("{% set x = content.title.__class__ %}{{ x }}", "__class__"),
])
def test_python_internals_are_refused_at_the_template_line(studio_dir, expression, attribute):
    file, line = evil(studio_dir, f"<para>{expression}</para>")
    problem = refused(studio_dir, TemplateError)
    assert (Path(problem.file), problem.line) == (file, line)
    assert problem.message == f"the template uses '{attribute}', which a template may not (templates are sandboxed)"


@pytest.mark.parametrize("expression", ["{{ studio }}", "{{ '%s'|format(studio) }}", "{{ content.sections }}"])
def test_a_whole_object_is_not_printed_only_its_fields(studio_dir, expression):
    """Text and numbers print; an object would print its settings' workings (fonts, colours, ...)."""
    file, line = evil(studio_dir, f"<para>{expression}</para>")
    problem = refused(studio_dir, TemplateError)
    assert (Path(problem.file), problem.line) == (file, line)
    assert "a template prints text and numbers, not a whole" in problem.message


@pytest.mark.parametrize("name", ["os", "cycler", "lipsum", "joiner", "self.__init__"])
def test_no_global_beyond_what_the_tool_hands_in(studio_dir, name):
    file, line = evil(studio_dir, f"<para>{{{{ {name} }}}}</para>")
    problem = refused(studio_dir, TemplateError)
    assert (Path(problem.file), problem.line) == (file, line)


def test_a_template_cannot_run_a_shell_through_plug_in_flowable(studio_dir, tmp_path):
    marker = tmp_path / "ran"
    file, line = evil(studio_dir, f'<plugInFlowable module="os" function="system">touch {marker}</plugInFlowable>')
    problem = refused(studio_dir, RenderError)
    assert not marker.exists()
    assert (Path(problem.file), problem.line) == (file, line)
    assert problem.message.startswith("the template's RML: <plugInFlowable module=\"os\" function=\"system\"> "
                                      "calls Python code, which a template may not do (rendered RML line ")


@pytest.mark.parametrize("rml, says", [
    ('<plugInGraphic module="subprocess" function="call">x</plugInGraphic>', "calls Python code"),
    ("<docExec stmt=\"open('/tmp/x', 'w')\"/>", "<docExec> runs Python code"),
    ('<docAssign var="x" expr="1"/>', "<docAssign> runs Python code"),
    ('<para><evalString>1 + 1</evalString></para>', "<evalString> evaluates a Python expression"),
    ('<logConfig filename="/tmp/handouts.log"/>', "<logConfig> writes a log file"),
    ('<para><img src="[os]/path.png" width="9" height="9"/></para>', "inside a Python package"),
    ('<barChart><valueAxis labelTextFormat="os.getcwd"/></barChart>', "names Python code"),
])
def test_rml_that_reaches_python_is_refused(studio_dir, rml, says):
    file, line = evil(studio_dir, rml)
    problem = refused(studio_dir, RenderError)
    assert says in problem.message
    assert (Path(problem.file), problem.line) == (file, line)


@pytest.fixture
def outside_picture(tmp_path_factory) -> Path:
    """A private picture outside the studio folder."""
    picture = tmp_path_factory.mktemp("elsewhere") / "private.png"
    Image.new("RGB", (40, 20), (200, 30, 30)).save(picture)
    return picture


@pytest.mark.parametrize("rml", [
    '<para><img src="{p}" width="20" height="10"/></para>',
    '<image file="{p}" x="0" y="0"/>',
    '<registerTTFont faceName="X" fileName="{p}"/>',
    '<includePdfPages filename="{p}"/>',
])
def test_files_named_in_rml_must_be_inside_the_template_or_studio_folder(studio_dir, outside_picture, rml):
    picture = outside_picture
    file, line = evil(studio_dir, rml.format(p=picture))
    problem = refused(studio_dir, RenderError)
    assert f"names the file '{picture}', outside the template's and the studio's folders" in problem.message
    assert (Path(problem.file), problem.line) == (file, line)


def test_the_art_plug_in_draws_only_the_pictures_the_build_handed_in(studio_dir, outside_picture):
    picture = outside_picture
    file, line = evil(studio_dir, '<plugInFlowable module="handouts.layout.art" function="flowable">'
                                  f'{{"file": "{picture}", "width": 100}}</plugInFlowable>')
    problem = refused(studio_dir, RenderError)
    assert f"draws the file '{picture}', which is not a picture this handout was given" in problem.message
    assert (Path(problem.file), problem.line) == (file, line)


@pytest.mark.parametrize("href", ["javascript:app.alert(1)", "launch:/bin/sh", "file:///etc/passwd",
                                  "data:text/html,hi", "pdf:/etc/passwd"])
def test_a_template_cannot_write_a_link_outside_the_allow_list(studio_dir, href):
    file, line = evil(studio_dir, f'<para><a href="{href}">click</a></para>')
    problem = refused(studio_dir, RenderError)
    assert "links may go to https, http, mailto and tel addresses only" in problem.message
    assert (Path(problem.file), problem.line) == (file, line)


def test_entities_declared_in_the_rml_are_refused(studio_dir):
    folder = studio_dir / "templates" / "evil"
    folder.mkdir(parents=True)
    (folder / "template.yaml").write_text("title: T\ndescription: d\n", encoding="utf-8")
    (folder / "handout.rml.j2").write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE document [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
        '<document filename="x.pdf"><template><pageTemplate id="p"><frame id="f" x1="0" y1="0" width="100" '
        'height="100"/></pageTemplate></template><story><para>&x;</para></story></document>\n', encoding="utf-8")
    problem = refused(studio_dir, RenderError)
    assert "declares its own DTD or entities" in problem.message


def test_a_template_file_that_is_a_link_out_of_the_folder_is_refused_by_the_name_written(studio_dir,
                                                                                          tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere") / "elsewhere.rml.j2"
    elsewhere.write_text("<para>secret</para>\n", encoding="utf-8")
    file, _ = evil(studio_dir, '{% include "evil/part.rml.j2" %}')
    os.symlink(elsewhere, file.parent / "part.rml.j2")
    problem = refused(studio_dir, TemplateError)
    assert problem.file == file.parent / "part.rml.j2"
    assert problem.message.startswith("template file leads outside")


def test_a_runaway_template_stops_at_the_rml_limit(studio_dir):
    evil(studio_dir, "{% for i in range(100000) %}{% for j in range(1000) %}<para>x</para>{% endfor %}{% endfor %}")
    problem = refused(studio_dir, TemplateError)
    assert problem.message == "the template wrote more than 20,000,000 characters of RML"


@pytest.mark.parametrize("line, says", [
    ("<para>{{ 'x' * 10**12 }}</para>", "repeating a text or list that many times makes it too long"),
    ("{% for i in range(10**7) %}{% endfor %}", "a range of more than 100,000 steps is too long"),
])
def test_a_text_or_range_too_large_is_refused_before_it_is_made(studio_dir, line, says):
    file, number = evil(studio_dir, line)
    problem = refused(studio_dir, TemplateError)
    assert (Path(problem.file), problem.line) == (file, number)
    assert problem.message == f"the template was stopped: {says} (templates are sandboxed)"
