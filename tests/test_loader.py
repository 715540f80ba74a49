"""Content and studio files: every problem reported at its line and column."""

from pathlib import Path

import pytest

from handouts.content.load import load_content, load_studio
from handouts.errors import ContentError

ROOT = Path(__file__).resolve().parent.parent
GOOD = (ROOT / "content" / "constructive-rest.en.yaml").read_text(encoding="utf-8")


def write(tmp_path, text, name="x.en.yaml", encoding="utf-8"):
    file = tmp_path / name
    file.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    (tmp_path / "images").mkdir(exist_ok=True)
    for svg in (ROOT / "content" / "images").glob("*.svg"):
        (tmp_path / "images" / svg.name).write_bytes(svg.read_bytes())
    return file


def test_bundled_content_loads():
    content = load_content(ROOT / "content" / "constructive-rest.en.yaml")
    assert content.id == "constructive-rest"
    assert len(content.sidebar.positions) >= 2


def test_yaml_syntax_error_names_line_and_column(tmp_path):
    file = write(tmp_path, "id: x\ntitle: [unclosed\nlang: en\n")
    with pytest.raises(ContentError) as err:
        load_content(file)
    problem = err.value.problems[0]
    assert problem.file == file and problem.line == 3
    assert str(problem).startswith(f"{file}:3:")


def test_missing_field_points_at_its_parent(tmp_path):
    text = GOOD.replace("  question:", "  kwestion:", 1)
    file = write(tmp_path, text)
    with pytest.raises(ContentError) as err:
        load_content(file)
    messages = [str(p) for p in err.value.problems]
    line = text.splitlines().index(next(l for l in text.splitlines() if l.startswith("  kwestion:"))) + 1
    assert any(f":{line}:3: sidebar.kwestion: unknown field (hint: did you mean 'question'?)" in m for m in messages)
    assert any("sidebar.question: field required" in m for m in messages)


def test_every_problem_reported_at_once(tmp_path):
    text = GOOD.replace("title:", "titel:", 1).replace("lang: en", "lang: 'english language'", 1)
    with pytest.raises(ContentError) as err:
        load_content(write(tmp_path, text))
    fields = {p.field for p in err.value.problems}
    assert {"titel", "title", "lang"} <= fields


def test_unknown_source_id_is_an_error_with_a_suggestion(tmp_path):
    text = GOOD.replace("sources: [koch-2009", "sources: [koch-2008", 1)
    with pytest.raises(ContentError) as err:
        load_content(write(tmp_path, text))
    assert "sidebar.positions.0.sources.0: source 'koch-2008' is not in references" in str(err.value)
    assert "did you mean 'koch-2009'" in str(err.value)


def test_bom_is_accepted(tmp_path):
    assert load_content(write(tmp_path, "\ufeff" + GOOD)).title


def test_non_utf8_file_is_named(tmp_path):
    file = write(tmp_path, GOOD.replace("Constructive Rest", "Constructive Rést", 1), encoding="cp1252")  # Windows' own
    with pytest.raises(ContentError, match="not UTF-8 text"):
        load_content(file)


def test_missing_image_is_named_with_its_field(tmp_path):
    text = GOOD.replace("images/constructive-rest.svg", "images/nope.svg", 1)
    with pytest.raises(ContentError, match="illustration.file: image not found"):
        load_content(write(tmp_path, text))


def test_studio_file_loads():
    studio = load_studio(ROOT / "studio.yaml")
    assert studio.name and studio.disclaimer
