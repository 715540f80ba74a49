"""The README says what the tool does: its option lists, its Errors table and its example lines are run here.

Each family of the Errors table has a scenario below that makes its error
happen in a studio folder of its own; the line printed must be the README's
example (where the README writes ``...``, anything may stand). A family added
to the table without a scenario, or an option the README leaves out, fails.
"""

from __future__ import annotations

import errno
import os
import re
import shlex
import shutil

import pytest
import typer
from typer.testing import CliRunner

from handouts.cli import app

from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
DATA = ROOT / "tests" / "data"
runner = CliRunner()


def section(title: str) -> str:
    """The README's text under the heading ``title`` (up to the next heading of any level)."""
    start = README.index(title)
    following = re.search(r"^#{2,3} ", README[start + len(title):], re.M)
    return README[start: start + len(title) + (following.start() if following else len(README))]


def matches(example: str, line: str) -> bool:
    """``line`` is ``example``, where each ``...`` of the example stands for any text."""
    pattern = ".*?".join(map(re.escape, re.split(r" ?\.\.\.", example)))
    return re.fullmatch(pattern, line) is not None


@pytest.fixture
def studio(tmp_path, monkeypatch):
    """A studio folder made by `handouts init`, the current folder, at a wide terminal."""
    monkeypatch.setenv("COLUMNS", "80")
    folder = tmp_path / "studio"
    assert runner.invoke(app, ["init", str(folder), "--name", "Harbour Light Movement"]).exit_code == 0
    monkeypatch.chdir(folder)
    return folder


def run(studio, *args: str) -> tuple[int, list[str]]:
    """Exit code and the lines printed (stdout, then stderr), paths inside the studio written from it."""
    result = runner.invoke(app, list(args))
    lines = (result.stdout + result.stderr).replace(f"{studio}/", "").splitlines()
    return result.exit_code, lines


# -- option lists ---------------------------------------------------------------------------------

def command_options(path: tuple[str, ...]) -> set[str]:
    command = typer.main.get_command(app)
    for name in path:
        command = command.commands[name]
    found = set()
    for param in command.params:
        if param.param_type_name == "option" and "Global" not in (getattr(param, "rich_help_panel", "") or ""):
            found |= {opt for opt in [*param.opts, *param.secondary_opts] if opt.startswith("--")}
    return found - {"--help"}


#: Where the README lists each command's options.
OPTION_LISTS = {
    ("build",): lambda: _paragraph(section("### `handouts build [CONTENT]`"), "Options:"),
    ("batch",): lambda: _paragraph(section("### `handouts batch ROSTER [CONTENT]`"), "Options:"),
    ("roster",): lambda: _paragraph(section("### `handouts roster ROSTER`"), "Options:"),
    ("check",): lambda: _paragraph(section("### `handouts check [CONTENT ...]`"), "Options:"),
    ("init",): lambda: _paragraph(section("### `handouts init [DIR]`"), "Options:"),
    ("watch",): lambda: _paragraph(section("### `handouts watch [CONTENT]`"), "Options:"),
    ("templates",): lambda: re.search(r"`templates \[--gallery\][^`]*`", README).group(0),
    ("templates", "list"): lambda: "",
    ("templates", "show"): lambda: re.search(r"`templates show NAME \[[^`]*`", README).group(0),
    ("preview",): lambda: re.search(r"`preview`\s+takes[^.]*", README).group(0),
    ("serve",): lambda: _paragraph(section("### `handouts serve`"), "Options:"),
}


def _paragraph(text: str, start: str) -> str:
    at = text.index(start)
    return text[at: text.find("\n\n", at)]


def test_every_command_has_its_options_listed():
    from test_cli_global import COMMANDS

    assert set(COMMANDS) == set(OPTION_LISTS), "say in the README which options the new command takes"


@pytest.mark.parametrize("path", sorted(OPTION_LISTS), ids=" ".join)
def test_the_readme_lists_each_commands_options(path):
    listed = set(re.findall(r"--[a-z][a-z-]*", OPTION_LISTS[path]())) - GLOBAL  # it may mention those too
    assert listed == command_options(path)


GLOBAL = {opt for param in typer.main.get_command(app).params for opt in param.opts if opt.startswith("--")}


def test_the_readme_lists_the_global_options():
    text = section("### Options for every command")
    listed = set(re.findall(r"--[a-z][a-z-]*", text.split("Every command's")[0]))
    assert GLOBAL - {"--help", "--show-completion"} <= listed
    others = set().union(*(command_options(path) for path in OPTION_LISTS))
    assert listed - GLOBAL <= others | {"--help"}  # what it mentions besides are options of a command


# -- the Errors table -----------------------------------------------------------------------------

def errors_table() -> dict[str, list[str]]:
    """family -> its example lines, from the README's table."""
    rows = {}
    for line in section("## Errors").splitlines():
        cells = [cell.strip() for cell in line.strip("|").split(" | ")]
        if line.startswith("| ") and len(cells) == 3 and cells[0] not in ("family", "---"):
            rows[cells[0]] = re.findall(r"`([^`]+)`", cells[1])
    return rows


BASE = (DATA / "content" / "base.en.yaml").read_text(encoding="utf-8")


def write(studio, name: str, text: str, encoding: str = "utf-8") -> str:
    (studio / "content" / name).write_bytes(text.encode(encoding))
    return f"content/{name}"


def _yaml_tab(studio):
    lines = BASE.splitlines()
    lines[12] = "\t" + lines[12].lstrip()
    return run(studio, "build", write(studio, "x.en.yaml", "\n".join(lines) + "\n"))


def _yaml_twice(studio):
    text = BASE.split("\n", 1)[1].replace("title: Neck Rest\n", "title: Neck Rest\ntitle: Neck rest\n")
    return run(studio, "build", write(studio, "x.en.yaml", text))


def _encoding(studio):
    text = BASE.replace("lang: en\ntitle: Neck Rest", "lang: en\ntitle: Caf\u00e9 Neck Rest").replace("id: neck-rest\n", "")
    return run(studio, "build", write(studio, "x.en.yaml", text, encoding="latin-1"))


def _content(studio):
    text = BASE.replace("safety:", "  - heading: Getting up\n    steps: Roll to your side and push up slowly.\nsafety:")
    return run(studio, "build", write(studio, "x.en.yaml", "\n" * 6 + text))


def _check(studio):
    return run(studio, "check", write(studio, "neck.en.yaml", (DATA / "readme" / "neck.en.yaml").read_text("utf-8")))


def _glyph_content(studio):
    text = BASE.replace("      - Put a folded towel under your head.\n",
                        "      - Put a folded towel under your head.\n  - heading: Getting up\n    steps:\n"
                        "      - Roll to your side.\n      - 😀 Push up slowly.\n")
    return run(studio, "build", write(studio, "x.en.yaml", "\n" * 6 + text))


def _glyph_client(studio):
    return run(studio, "build", "--client", "Maya 🌸")


def _image_missing(studio):
    text = BASE.replace("sections:", "illustration:\n  file: images/rest.png\n  alt: A person resting\nsections:")
    return run(studio, "build", write(studio, "x.en.yaml", "\n\n" + text))


def _image_no_size(studio):
    (studio / "content" / "images" / "cut.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"></svg>',
                                                          encoding="utf-8")
    text = BASE.replace("sections:", "illustration:\n  file: images/cut.svg\n  alt: A person resting\nsections:")
    return run(studio, "build", write(studio, "x.en.yaml", text))


def settings(studio, text: str, *args: str):
    """Build with a studio.yaml of a name, a disclaimer and ``text`` (from line 3)."""
    (studio / "studio.yaml").write_text(f"name: Harbour Light Movement\ndisclaimer: For education only.\n{text}",
                                        encoding="utf-8")
    return run(studio, "build", *args)


def _logo_elsewhere(studio):
    (studio.parent / "logo.png").write_bytes(b"not here")
    (studio / "logo.png").symlink_to(studio.parent / "logo.png")
    return settings(studio, "paper: letter\nlogo: logo.png\n")


def _font_cut(studio):
    from handouts.layout.fonts import default_fonts

    (studio / "fonts").mkdir()
    (studio / "fonts" / "cut.ttf").write_bytes(default_fonts().regular.read_bytes()[:3000])
    return settings(studio, "fonts:\n  regular: fonts/cut.ttf\n")


def _website(studio):
    return settings(studio, "contact:\n  website: harbourlight.example\n")


def _grade(studio):
    return settings(studio, "reading_grade_max: yes\n")


def _template_yaml(studio):
    folder = studio / "templates" / "mine"
    shutil.copytree(studio / "templates" / "classic-notes", folder)
    (folder / "template.yaml").write_text("extends: classic\ntitle: Mine\n"
                                          "personal_box: {top: 36, right: 500, width: 261, height: 64}\n",
                                          encoding="utf-8")
    return run(studio, "build", "--template", "mine")


def _labels(studio):
    labels = studio / "templates" / "_base" / "labels"
    labels.mkdir(parents=True)
    text = (ROOT / "templates" / "_base" / "labels" / "es.yaml").read_text(encoding="utf-8")
    (labels / "es.yaml").write_text(re.sub(r"(?m)^date_format: .*$", 'date_format: "d MMMM y HH:mm"', text),
                                    encoding="utf-8")
    return run(studio, "build", "--lang", "es")


def _link_scheme(studio):
    text = BASE.replace("      - Lie on your back\n", "      - Lie on your back\n    body: See [the chart](pdf:/etc/passwd).\n")
    return run(studio, "build", write(studio, "x.en.yaml", text))


def _link_bidi(studio):
    text = BASE + "    url: https://example.org/\u202egnp.exe\n"
    return run(studio, "build", write(studio, "x.en.yaml", text))


def _too_many_items(studio):
    return run(studio, "build", write(studio, "x.en.yaml", BASE.replace("safety:\n", "safety:\n" + "  - Stop.\n" * 501)))


def _huge_picture(studio):
    from PIL import Image

    Image.new("1", (8000, 6000)).save(studio / "content" / "images" / "big.png")
    text = BASE.replace("sections:", "illustration:\n  file: images/big.png\n  alt: A person resting\nsections:")
    return run(studio, "build", write(studio, "x.en.yaml", text))


def _control_character(studio):
    return run(studio, "build", write(studio, "x.en.yaml", BASE.replace("title: Neck Rest", "title: Neck Rest\x07")))


def _template(studio):
    file = studio / "templates" / "classic-notes" / "handout.rml.j2"
    file.write_text(file.read_text(encoding="utf-8").replace("m.heading(", "m.hedding("), encoding="utf-8")
    return run(studio, "build", "--template", "classic-notes")


def _page_engine(studio):
    file = studio / "templates" / "classic-notes" / "handout.rml.j2"
    text = file.read_text(encoding="utf-8")
    file.write_text(re.sub(r'rowHeights="[^"]*"', 'rowHeights="tall"', text), encoding="utf-8")
    return run(studio, "build", "--template", "classic-notes")


def _layout_overflow(studio):
    note = "Rest ten minutes after class, with a folded towel under your head and a pillow under your knees. " * 4
    return run(studio, "build", "--template", "cue-card", "--client", "Zoë Łukasz", "--note", note.strip())


def _output(studio, monkeypatch):
    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("os.fsync", full)
    return run(studio, "build", "--out", "output/x.pdf")


def _roster_folder(studio):
    for folder, name in (("a", "Alice Ward"), ("b", "Carl Diaz")):
        (studio / folder).mkdir()
        (studio / folder / "ClassRoster.csv").write_text(f"Name\n{name}\n", encoding="utf-8")
    assert run(studio, "batch", "a/ClassRoster.csv")[0] == 0
    return run(studio, "batch", "b/ClassRoster.csv")


def _output_folder(studio):
    (studio / "output" / "constructive-rest.en.classic.letter.pdf").mkdir(parents=True)
    return run(studio, "build")


def _output_fifo(studio):
    (studio / "output").mkdir()
    os.mkfifo(studio / "output" / "x.pdf")
    return run(studio, "build", "--out", "output/x.pdf")


def _safety_overflow(studio):
    safety = "  - Stop if your neck aches, and sit up slowly before you stand.\n" * 25
    return run(studio, "build", write(studio, "x.en.yaml", BASE.replace("safety:\n", "safety:\n" + safety)),
               "--template", "cue-card")


def roster(studio, name: str, data: bytes, *args: str):
    (studio / name).write_bytes(data)
    return run(studio, "batch", name, *args)


def _roster_fifo(studio):
    os.mkfifo(studio / "roster.csv")
    return run(studio, "batch", "roster.csv")


SCENARIOS = {
    "YAML": [_yaml_tab, _yaml_twice],
    "encoding": [_encoding],
    "content": [_content],
    "check": [_check, _check],
    "glyph": [_glyph_content, _glyph_client],
    "settings": [_website, _grade, _template_yaml, _labels],
    "link": [_link_scheme, _link_bidi],
    "image / logo / font": [_image_missing, _image_no_size, _logo_elsewhere, _font_cut],
    "template": [_template],
    "page engine": [_page_engine],
    "layout overflow": [_layout_overflow, _safety_overflow],
    "output": [_output, _roster_folder, _output_folder, _output_fifo],
    "limits": [_too_many_items, _huge_picture, _control_character],
    "usage": [lambda s: run(s, "build", "--paper", "a5"), lambda s: run(s, "build", "--date", "12/01/2026"),
              lambda s: run(s, "build", "--jsn"), lambda s: run(s, "batch", "rosters/example.csv", "--out", "pack.pdf")],
    "roster": [lambda s: roster(s, "tuesday.csv", b'First Name,Last Name,Notes\nAna,Garcia,"A folded towel\n'
                                                  b"Mei,Chen,Rest\nBob,Smith,\nKim,Lee,\n"),
               lambda s: roster(s, "roster.xlsx", b"PK\x03\x04" + bytes(range(256)) * 2),
               _roster_fifo,
               lambda s: roster(s, "tuesday.csv", b"Client Name,Status\nAna Garcia,Cancelled\n"
                                                  b"Bob Smith,No Show\nMei Chen,Late cancel\n")],
    "roster rows": [lambda s: roster(s, "tuesday.csv", b"Client Name,Language\nAna Garcia,Elvish\nBob Smith,es\n",
                                     "--quiet")],
}
EXIT = {"usage": 2}


def test_every_family_of_the_table_has_its_scenarios():
    table = errors_table()
    assert set(table) == set(SCENARIOS)
    assert {family: len(examples) for family, examples in table.items()} == \
        {family: len(scenarios) for family, scenarios in SCENARIOS.items()}


@pytest.mark.parametrize("family, index", [(f, i) for f, s in SCENARIOS.items() for i in range(len(s))],
                         ids=[f"{f}-{i}" for f, s in SCENARIOS.items() for i in range(len(s))])
def test_each_example_of_the_errors_table_is_what_the_tool_prints(studio, monkeypatch, family, index):
    example = errors_table()[family][index]
    scenario = SCENARIOS[family][index]
    code, lines = scenario(studio, monkeypatch) if scenario is _output else scenario(studio)
    assert code == EXIT.get(family, 1), lines
    assert any(matches(example, line) for line in lines), (example, lines)


def test_the_check_section_shows_what_check_prints(studio):
    block = section("### `handouts check [CONTENT ...]`").split("```")[3].strip().splitlines()
    _, lines = _check(studio)
    assert lines[:len(block)] == block


def test_the_build_sections_lines_are_what_build_prints(studio):
    text = section("### `handouts build [CONTENT]`")
    warning = re.search(r"```\n(warning: .*)\n```", text).group(1)
    write(studio, "neck.en.yaml", (DATA / "readme" / "hard-summary.en.yaml").read_text("utf-8"))
    _, lines = run(studio, "build", "content/neck.en.yaml", "--out", "handouts/")
    assert warning in lines
    transcript = re.search(r"```\n(\$ handouts build --template trifold.*?)\n```", text, re.S).group(1)
    for command, *printed in (chunk.splitlines() for chunk in re.split(r"^\$ ", transcript, flags=re.M) if chunk):
        _, lines = run(studio, *shlex.split(command)[1:])
        assert lines == printed


def code_block(text: str, first: str) -> list[str]:
    """The lines of the code block in ``text`` whose first line starts with ``first`` (a bullet's blocks dedented)."""
    found = re.search(r"^( *)```\n(\1" + re.escape(first) + r".*?)\n\1```", text, re.S | re.M)
    return [line[len(found.group(1)):] for line in found.group(2).splitlines()]


def test_the_roster_and_batch_examples_are_what_they_print(studio):
    shutil.copy(DATA / "readme" / "tuesday.csv", studio / "tuesday.csv")
    _, lines = run(studio, "roster", "tuesday.csv")
    assert [line.rstrip() for line in lines] == code_block(section("### `handouts roster ROSTER`"), "tuesday.csv: ")
    text = section("### `handouts batch ROSTER [CONTENT]`")
    code, lines = run(studio, "batch", "tuesday.csv", "--class-name", "Tuesday 6 pm Mat", "--date", "2026-12-01")
    assert code == 1 and [line.rstrip() for line in lines if line.strip()] == code_block(text, "tuesday.csv (")
    folder = studio / "output" / "tuesday-6-pm-mat-2026-12-01"
    assert (folder / "clients.csv").read_text(encoding="utf-8-sig").splitlines() == code_block(text, "row,name,")
    listed = [line.split("#")[0].strip() for line in code_block(text, "output/")]
    assert {name for name in listed if name.endswith((".pdf", ".csv", ".json"))} <= \
        {path.name for path in folder.iterdir()} | {"constructive-rest.en.classic.letter.pdf"}


def test_the_layouts_refusal_is_what_build_prints(studio):
    example = re.search(r"```\n(error: content/x\.en\.yaml:.*safety: template 'cue-card'.*)\n```",
                        section("## Layouts"), re.M).group(1)
    _, lines = _safety_overflow(studio)
    assert example in lines


def test_the_editorial_example_is_what_check_prints(studio):
    block = re.search(r"```\n(warning: content/childs-pose.*?)\n```", README, re.S).group(1).splitlines()
    for lang in ("en", "es"):
        shutil.copy(DATA / "content" / "pair" / f"childs-pose.{lang}.yaml", studio / "content")
    spanish = studio / "content" / "childs-pose.es.yaml"
    text = spanish.read_text(encoding="utf-8")
    spanish.write_text(text.replace("  - No aguantes la respiración.\n", "").replace(
        "Pide ayuda si el dolor no se calma al parar, y llama a tu medico o fisioterapeuta.",
        "Para despacio si el dolor no se calma."), encoding="utf-8")
    _, lines = run(studio, "check", "childs-pose.es")
    assert lines[:-1] == block + [line for line in lines[len(block):-1] if "references" in line]


def test_the_templates_listing_is_what_templates_prints(studio, monkeypatch):
    block = re.search(r"```\n\$ handouts templates\n(.*?)\n```", README, re.S).group(1).splitlines()
    monkeypatch.chdir(studio.parent)  # no studio folder: the built-in layouts only
    _, lines = run(studio, "templates")
    assert lines == block


def test_the_json_example_is_what_build_prints(studio):
    import json

    example = json.loads(re.search(r"```json\n(.*?)\n```", README, re.S).group(1))
    _, lines = run(studio, "build", "--template", "trifold", "--out", "output/", "--json")
    assert json.loads(lines[0]) == example


def test_the_open_warning_and_the_ctrl_c_line_are_the_tools(studio, monkeypatch):
    text = section("### Options for every command")
    warning = re.search(r"`(warning: could not open .*?)`", text, re.S).group(1).replace("\n  ", " ")
    monkeypatch.setenv("PATH", str(studio))
    _, lines = run(studio, "build", "--out", "output/x.pdf", "--open")
    assert warning in lines
    from handouts.cli.group import INTERRUPTED

    assert f"`{INTERRUPTED}`" in " ".join(section("## Errors").split())


def test_the_internal_error_line_is_the_tools(studio, monkeypatch):
    example = re.search(r"`(internal error: .*?)`", " ".join(section("## Errors").split())).group(1)

    def broken(*args, **kwargs):
        return {}["a key that is not there"]

    monkeypatch.setattr("handouts.build.name_for", lambda *args: broken())
    _, lines = run(studio, "build")
    assert re.fullmatch(re.escape(example).replace("212", r"\d+").replace(r"build\.py", r"test_readme\.py|build\.py"),
                        lines[-1]) or matches(example.replace("212", "..."), lines[-1]), lines


def test_how_it_works_names_every_module():
    text = section("## How it works")
    named = set(re.findall(r"`([a-z_]+)`", text))
    package = ROOT / "src" / "handouts"
    modules = {path.stem for path in package.rglob("*.py")}
    assert modules - {"__init__", "__main__"} <= named


# -- the example commands --------------------------------------------------------------------------

def documented_commands() -> list[tuple[list[str], str]]:
    """Every `handouts ...` line of the README's sh blocks, continuations joined, with its comment."""
    found = []
    for block in re.findall(r"```sh\n(.*?)```", README, re.S):
        for line in block.replace("\\\n", " ").splitlines():
            command, *comment = re.split(r"\s{2,}#\s*", line.strip(), maxsplit=1)
            comment = comment[0] if comment else ""
            if command.startswith("cd "):
                command = command.split("&&", 1)[-1]
            command = command.strip()
            if command.startswith("handouts ") and not command.startswith(("handouts watch", "handouts serve")):
                found.append((shlex.split(command)[1:], comment.strip()))
    return found


def test_the_readme_documents_commands_to_run():
    assert len(documented_commands()) >= 12


def test_every_documented_command_runs(studio):
    shutil.copy(DATA / "content" / "base.en.yaml", studio / "my-handout.en.yaml")
    shutil.copy(DATA / "rosters" / "class.csv", studio / "roster.csv")
    shutil.copy(DATA / "readme" / "tuesday.csv", studio / "tuesday.csv")
    for args, comment in documented_commands():
        code = int(re.search(r"\(exit (\d)\)", comment).group(1)) if "(exit" in comment else 0
        if args[0] == "init":
            args = [*args[:1], str(studio.parent / args[1]), *args[2:]]
        exit_code, lines = run(studio, *args)
        assert exit_code == code, (args, lines)
        named = re.findall(r"[\w.-]+\.(?:pdf|png)", comment.split(",")[0])  # "prints .../x.pdf", "# pictures/y.png"
        if named:
            assert any(line.endswith(named[0]) for line in lines), (args, comment, lines)
