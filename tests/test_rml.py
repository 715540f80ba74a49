"""Rendered RML uses only tags and attributes the page engine knows.

z3c.rml ignores an unknown attribute without a word (``pageSize`` instead of
``pagesize`` silently gives an A4 page), so every attribute of the rendered
RML is checked against the engine's own DTD.
"""

from __future__ import annotations

import datetime as dt
import os
from functools import lru_cache

import pytest
import z3c.rml
from lxml import etree

from handouts.build import context, prepare
from handouts.content.models import Personal
from handouts.layout.templating import render_rml

TEMPLATES = ["classic", "trifold", "large-print", "cue-card"]


@lru_cache(maxsize=1)
def declared() -> dict[str, set[str]]:
    dtd = etree.DTD(os.path.join(os.path.dirname(z3c.rml.__file__), "rml.dtd"))
    return {element.name: {a.name for a in element.attributes()} for element in dtd.elements()}


#: Paragraph markup ReportLab parses itself (not RML directives).
INLINE = {"a": {"href", "name", "color"}, "u": set(), "b": set(), "i": set(), "br": set(), "font": {"name", "size", "color"},
          "getName": {"id", "default"}, "pageNumber": set()}


#: Directives z3c.rml implements that its DTD does not list (z3c.rml.flowable.Flow.factories).
BEYOND_DTD = {"topPadder": set()}


def unknown_attributes(rml: str) -> list[str]:
    problems = []
    for element in etree.fromstring(rml.encode()).iter():
        if not isinstance(element.tag, str):
            continue
        allowed = INLINE.get(element.tag, BEYOND_DTD.get(element.tag, declared().get(element.tag)))
        if allowed is None:
            problems.append(f"line {element.sourceline}: unknown tag <{element.tag}>")
            continue
        problems += [f"line {element.sourceline}: <{element.tag} {name}>" for name in element.attrib if name not in allowed]
    return problems


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_rendered_rml_is_known_to_the_engine(project, template, paper):
    job = prepare(project, template=template, paper=paper)
    for personal in (None, Personal(client="Ana", note="Hi", date=dt.date(2026, 1, 1))):
        assert unknown_attributes(render_rml(project, job.template, context(job, personal))) == []


def test_a_misspelled_attribute_is_caught():
    assert unknown_attributes('<document filename="x"><template pageSize="a4"/></document>') == [
        "line 1: <template pageSize>"
    ]
