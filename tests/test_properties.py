"""Any text at all, through the whole build: it prints as written, or the tool says why.

Random titles, steps, bullets, notes and client names (markup characters,
template syntax, emoji, right-to-left scripts, control characters, very long
words) go through ``build_handout``. The build either succeeds and the text
is in the PDF, or fails with a HandoutError; anything else is a bug.
HYPOTHESIS_PROFILE=ci runs many more examples (CI sets it).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import shutil
import tempfile
import unicodedata
from pathlib import Path

import yaml
from hypothesis import event, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from handouts.batch.run import build_batch
from handouts.build import build_handout
from handouts.content.markup import strip
from handouts.errors import HandoutError
from handouts.project import Project

from conftest import ROOT, pdf_text

#: Texts the fonts can draw, however hostile to XML, Jinja, Markdown or YAML.
PRINTABLE = ["&", "&amp;", "<b>", "</para>", "<![CDATA[", "{{ studio.name }}", "{% raw %}", "{#", '"', "'",
             "“smart” ‘quotes’", "Ωμέγα", "Привет", "Zoë", "\t", "\n", "\r\n", "\u00ad", "x" * 300, "é" * 300,
             "**", "*", "`", "[a](b)", "\\", "# ", "- ", ": ", "---", "null", "~"]
#: Texts that must be refused: no font has them, or XML cannot carry them.
NASTY = ["😀", "👩🏽‍🦰", "שלום", "مرحبا", "你好", "\x01", "\x7f", "\u0085", "\u202e", "\ufffe"]
WORDS = st.text(st.characters(codec="latin-1", exclude_categories=("Cc",)), min_size=1, max_size=12)
ANYTHING = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=8)
GOOD = st.lists(st.one_of(st.sampled_from(PRINTABLE), WORDS), min_size=1, max_size=5).map(" ".join)
BAD = st.lists(st.one_of(st.sampled_from(NASTY + PRINTABLE), ANYTHING, WORDS), min_size=1, max_size=5).map(" ".join)
FIELDS = ("title", "step", "bullet", "note", "client")

SOURCE = yaml.safe_load((ROOT / "content" / "constructive-rest.en.yaml").read_text(encoding="utf-8"))
STUDIO = Path(tempfile.mkdtemp(prefix="handouts-properties-"))
# Long random words read as hard; the grade check is not what this tests.
(STUDIO / "studio.yaml").write_text((ROOT / "studio.yaml").read_text(encoding="utf-8") .replace("reading_grade_max: 8", "reading_grade_max: 20"),
                                    encoding="utf-8")
shutil.copytree(ROOT / "content" / "images", STUDIO / "content" / "images")


def printed(text: str, markdown: bool) -> str:
    """What should be read back from the PDF: the words, without spacing or invisible marks."""
    words = strip(text) if markdown else text
    # A soft hyphen (Cf) is a place to break a line; where it breaks, it prints as "-".
    return "".join(char for char in unicodedata.normalize("NFKC", words)
                   if not char.isspace() and char != "-" and unicodedata.category(char) not in ("Cf", "Mn", "Cc"))


# Texts that should print in every field, and now and then a hostile one in one field,
# so most examples go through the whole render.
@given(texts=st.fixed_dictionaries({name: GOOD for name in FIELDS}), hostile=st.sampled_from(FIELDS + (None,) * 5),
       bad=BAD)
def test_any_text_prints_as_written_or_is_refused_by_the_tool(texts, hostile, bad):
    if hostile:
        texts[hostile] = bad
    title, step, bullet, note, client = (texts[name] for name in FIELDS)
    content = dict(SOURCE, title=title)
    content["sections"] = [dict(section) for section in SOURCE["sections"]]
    content["sections"][1]["steps"] = [step] + SOURCE["sections"][1]["steps"][1:]
    content["sections"][0]["bullets"] = [bullet]  # the list of props
    file = STUDIO / "content" / "random.en.yaml"
    file.write_text(yaml.safe_dump(content, allow_unicode=True, sort_keys=False), encoding="utf-8")
    out = STUDIO / "out"
    try:
        built = build_handout(str(file), project=Project(root=STUDIO), out_dir=out,
                              client=client, note=note, date=dt.date(2026, 12, 1))
    except HandoutError as error:
        event(f"refused: {type(error).__name__}")
        assert str(error)
        return
    event("built")
    text = printed(pdf_text(built.path), markdown=False)
    for value, markdown in ((title, False), (step, True), (bullet, True), (note, False), (client, False)):
        assert printed(value, markdown) in text
    assert not [path for path in out.iterdir() if path.suffix == ".tmp"]


def test_a_300_character_word_wraps_inside_its_column():
    content = dict(SOURCE)
    content["sections"] = [dict(section) for section in SOURCE["sections"][:3]]
    content["sections"][1]["steps"] = ["Say " + "q" * 300 + " slowly."]
    file = STUDIO / "content" / "long-word.en.yaml"
    file.write_text(yaml.safe_dump(content, allow_unicode=True, sort_keys=False), encoding="utf-8")
    built = build_handout(str(file), project=Project(root=STUDIO), out_dir=STUDIO / "out")
    lines = [line for page in PdfReader(io.BytesIO(built.path.read_bytes())).pages
             for line in page.extract_text().splitlines()]
    pieces = [len(run) for line in lines for run in re.findall("q{2,}", line)]
    assert sum(pieces) == 300 and len(pieces) >= 4  # broken over lines of the column, none lost


ROSTER_OUT = STUDIO / "batch"


@settings(max_examples=max(5, settings.default.max_examples // 8))  # a batch example costs ~1.5 builds
@given(rows=st.lists(st.fixed_dictionaries({"first_name": GOOD, "last_name": BAD, "note": GOOD}),
                     min_size=1, max_size=4))
def test_any_roster_rows_are_built_or_reported_row_by_row(rows):
    """A roster with any names and notes: each row gets its handout with its name, or a reason; never a crash."""
    roster = STUDIO / "roster.csv"
    with roster.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["first_name", "last_name", "note"])
        writer.writeheader()
        writer.writerows(rows)
    try:
        report = build_batch(roster, project=Project(root=STUDIO), out_dir=ROSTER_OUT, jobs=1, force=True,
                             date=dt.date(2026, 12, 1))
    except HandoutError as error:
        event(f"roster refused: {type(error).__name__}")
        assert str(error)
        return
    event(f"{len(report.built)} built, {len(report.failed)} failed, {len(report.left_out)} left out")
    assert all(failure.problem.message for failure in report.failed)
    assert len(report.built) + len(report.failed) + len(report.left_out) >= len(rows)
    names = [printed(f"{row['first_name']} {row['last_name']}", markdown=False) for row in rows]
    for path in report.built:
        assert path.parent == ROSTER_OUT
        assert any(name in printed(pdf_text(path), markdown=False) for name in names)
    assert not list(ROSTER_OUT.glob("*.tmp"))
