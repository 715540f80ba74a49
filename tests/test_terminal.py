"""Input text reaches the terminal with its escape sequences made visible."""

from handouts.terminal import MAX_SHOWN, shown


def test_osc_sequences_are_shown_not_obeyed():
    link = "\x1b]8;;https://evil.example\x07Ana\x1b]8;;\x07"
    assert shown(link) == "\\x1b]8;;https://evil.example\\x07Ana\\x1b]8;;\\x07"
    assert "\x1b" not in shown("\x1b]0;owned\x07") and "\x07" not in shown("\x1b]0;owned\x07")


def test_bidi_controls_and_c1_are_escaped():
    assert shown("abc\u202edef") == "abc\\u202edef"
    assert shown("a\x9bb") == "a\\x9bb"


def test_ordinary_text_is_kept_and_long_text_cut():
    assert shown("Zoë Łukasz-Ørsted") == "Zoë Łukasz-Ørsted"
    long = shown("x" * (MAX_SHOWN + 50))
    assert long.startswith("x" * MAX_SHOWN) and long.endswith("(50 more characters)")


def test_a_json_line_escapes_what_a_terminal_would_obey_and_stays_json():
    import json

    from handouts.terminal import json_line

    data = {"client": "Zoë \x1b]0;t\x07 \x9b31m \u202eevil", "path": "out/zoë.pdf"}
    line = json_line(data)
    assert json.loads(line) == data
    assert not any(char in line for char in "\x1b\x07\x9b\u202e")
    assert "Zoë" in line and "\\u009b" in line and "\\u202e" in line
