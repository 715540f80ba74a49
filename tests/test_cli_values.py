"""A wrong value for every option and argument of every command: one line in plain words, never a library's.

The options are read from the app itself, so an option added later without
a case here fails ``test_every_option_has_a_wrong_value``.
"""

from __future__ import annotations

import re

import pytest
import typer
from typer.testing import CliRunner

from handouts.cli import app

runner = CliRunner()

#: Words of click, Typer, pydantic or strptime that must never reach the user.
LIBRARY_WORDS = ("Invalid value", "Usage:", "Try '", "Error:", "Value error", "does not match the format", "%Y",
                 "Input should", "is not one of '", "Traceback", "click", "Typer", "typer", "pydantic", "strptime",
                 "No such option", "Missing argument", "Got unexpected", "╭", "dir '", "file '")


def params(command, prefix=()):
    """(command path, parameter) for every value-taking option and argument, global ones at the root only."""
    for param in command.params:
        if getattr(param, "is_flag", False) or getattr(param, "count", False):
            continue
        if prefix and getattr(param, "rich_help_panel", "") and "Global" in param.rich_help_panel:
            continue
        yield prefix, param
    for name, sub in getattr(command, "commands", {}).items():
        yield from params(sub, prefix + (name,))


def name(param) -> str:
    return max(param.opts, key=len) if param.param_type_name == "option" else param.name


PARAMS = list(params(typer.main.get_command(app)))

#: The arguments a command needs besides the wrong one (paths relative to the working folder).
NEEDS = {("batch",): ["class.csv", "-q"], ("templates", "show"): ["classic"]}
#: option or argument name -> (wrong value, exit code); "{file}" and "{folder}" are made in the working folder.
WRONG = {
    "--project": ("{folder}", 1),     # a folder with no studio.yaml
    "--template": ("no-such-layout", 1),
    "--paper": ("a5", 2),
    "--lang": ("Elvish", 2),
    "--client": ("", 1),
    "--note": ("", 1),
    "--date": ("12/01/2026", 2),
    "--out": ("{file}", 2),           # an existing file where a folder is wanted
    "--content": ("no-such-handout", 1),
    "--class-name": ("Tuesday\x07Mat", 1),
    "--jobs": ("0", 2),
    "--format": ("xml", 2),
    "--name": ("", 2),
    "--color": ("teal", 2),
    "content": ("no-such-handout", 1),
    "roster": ("{folder}", 1),       # a folder where a file is wanted: the roster reader says so
    "folder": ("{file}", 1),
    "name": ("No Such!", 2),
    "--port": ("eighty", 2),
    "--host": ("no-such-host.invalid", 1),
}
#: Where a command carries on after the error (a watch waits for the next save).
CARRIES_ON = {(("watch",), "--template"): 0}
#: Where the line names the place by another word than the option or its value.
NAMED = {"--class-name": "class: the character U+0007"}  # a batch tells it per row, as the class's field


def test_every_option_has_a_wrong_value():
    missing = sorted({name(param) for _, param in PARAMS} - set(WRONG))
    assert not missing, f"add a wrong value and its exit code to WRONG for {missing}"


@pytest.fixture
def place(tmp_path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "class.csv").write_text("First Name,Last Name\nAna,García\n", encoding="utf-8")
    (tmp_path / "a-file.txt").write_text("not a folder\n", encoding="utf-8")
    (tmp_path / "a-folder").mkdir()
    monkeypatch.setattr("watchfiles.watch", lambda *paths, **options: iter(()))
    return tmp_path


@pytest.mark.parametrize("path, param", PARAMS, ids=[" ".join(p) + " " + name(q) for p, q in PARAMS])
def test_a_wrong_value_is_one_line_in_plain_words(path, param, place):
    value, code = WRONG[name(param)]
    value = value.format(file="a-file.txt", folder="a-folder")
    code = CARRIES_ON.get((path, name(param)), code)
    given = [value] if param.param_type_name == "argument" else [name(param), value]
    if path == ("batch",) and name(param) == "roster":
        args = [*path, *given, "-q"]
    else:
        args = [*path, *given, *NEEDS.get(path, [])] if path else [*given, "build"]
    if path and path[0] in ("build", "preview", "watch", "batch", "templates") and name(param) != "--out":
        args += ["--out", "out"] if path != ("templates",) and path != ("templates", "list") else []
    result = runner.invoke(app, args)
    assert result.exit_code == code, (args, result.output)
    errors = [line for line in result.stderr.splitlines() if re.match(r"(\d\d:\d\d:\d\d )?error: ", line)]
    assert len(errors) == 1, (args, result.output)
    line = errors[0]
    if path != ("watch",):
        assert result.stderr.splitlines() == [line], result.output
    assert "(hint: " in line, line
    assert name(param) in line or (value and value in line) or (param.metavar and param.metavar in line) or \
        NAMED.get(name(param), "?") in line, line
    for words in LIBRARY_WORDS:
        assert words not in result.output, (words, line)


@pytest.mark.parametrize("args, message", [
    (["build", "--date", "2026-12-01x"], "error: --date: '2026-12-01x' is not a date written year-month-day "
                                        "(hint: write the year, the month, then the day, e.g. 2026-12-01)"),
    (["build", "--date", "2026-02-30"], "error: --date: '2026-02-30' is not a day of the calendar (hint: check "
                                       "the month (1 to 12) and the day; year-month-day, e.g. 2026-12-01)"),
    (["build", "--template", "Trifold!"], "error: --template: 'Trifold!' is not a template name (hint: template "
                                          "names are letters, digits and hyphens; `handouts templates` lists them)"),
    (["build", "--paper", "A5"], "error: --paper: 'A5' is not a paper size this tool prints on (hint: use letter or a4)"),
    (["batch", "r.csv", "--out", "pack.pdf"], "error: --out: 'pack.pdf' names a PDF file, but this command writes "
                                             "its files into a folder (hint: give a folder, e.g. --out output/tuesday/)"),
    (["build", "--jsn"], "error: handouts build has no option --jsn (hint: did you mean --json?)"),
    (["bild"], "error: handouts: there is no command 'bild' (hint: did you mean 'build'?)"),
    (["templates", "shw"], "error: handouts templates: there is no command 'shw' (hint: did you mean 'show'?)"),
    (["batch"], "error: handouts batch: ROSTER is missing (hint: `handouts batch -h` lists what it takes)"),
    (["build", "a", "b"], "error: handouts build does not take 'b' (hint: put text with spaces in quotes; "
                          "`handouts build -h` lists what it takes)"),
    (["build", "--date"], "error: --date needs a value (hint: `handouts build -h` lists what it takes)"),
    (["-q", "build", "-v"], "error: --verbose: asks for more lines, and --quiet for fewer "
                            "(hint: use one of -q/--quiet and -v/--verbose)"),
    (["init", "x", "--name", "A\x1b]0;t\x07B"], "error: --name: 'A\\x1b]0;t\\x07B' holds a control character, "
                                               "which cannot be printed (hint: type the name again, without the stray key)"),
])
def test_usage_errors_read_like_content_errors(args, message, place):
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines() == [message] and result.stdout == ""


@pytest.mark.parametrize("paper", ["A4", "Letter", " a4 "])
@pytest.mark.parametrize("template", ["Classic", "CUE-CARD"])
def test_paper_and_template_names_in_any_case(paper, template, place):
    result = runner.invoke(app, ["build", "--paper", paper, "--template", template, "--out", "out"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith(f"constructive-rest.en.{template.lower()}.{paper.strip().lower()}.pdf")


@pytest.mark.parametrize("lang", ["ES", "Spanish", "Español", "es-MX", "es_mx"])
def test_a_language_by_code_or_name_in_any_case_as_a_roster_gives_it(lang, place):
    """``--lang`` reads what a roster's language column reads; Mexican Spanish gets the Spanish handout."""
    result = runner.invoke(app, ["build", "--lang", lang, "--out", "out"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith("constructive-rest.es.classic.letter.pdf")


@pytest.mark.parametrize("lang", ["", "Elvish"])
def test_what_is_not_a_language_is_a_usage_error(lang, place):
    result = runner.invoke(app, ["build", "--lang", lang, "--out", "out"])
    assert result.exit_code == 2 and "is not a language code or name" in result.stderr, result.output
    assert not (place / "out").exists()


@pytest.mark.parametrize("where, says", [("missing", "does not exist"), ("a-file", "is not a folder")])
def test_a_studio_folder_that_is_not_one_is_named_for_what_it_is(place, where, says):
    (place / "a-file").write_text("x", encoding="utf-8")
    result = runner.invoke(app, ["--project", str(place / where), "build"])
    assert result.exit_code == 1 and result.stderr == f"error: the studio folder {place / where} {says} (hint: check " \
        "the path, or run `handouts init DIR` to make a studio folder)\n", result.output


def test_an_input_with_escapes_is_shown_not_obeyed(place):
    result = runner.invoke(app, ["build", "--client", "Ana\x1b]0;evil\x07", "--out", "out"])
    assert result.exit_code == 1
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert result.stderr.count("\n") == 1 and "Ana" in result.stderr
