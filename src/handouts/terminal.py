"""Text from files and rosters, made safe to print on a terminal.

Roster cells are typed by clients into booking software, and content comes
from anyone's editor: either can hold escape sequences that a terminal would
obey (an OSC 8 hyperlink, a new window title, a cleared screen) or bidi
controls that reorder what is shown. Everything the tool prints that came
from an input goes through :func:`shown` first, which makes those characters
visible as escapes and cuts very long text.
"""

from __future__ import annotations

import re

#: C0 and C1 controls (ESC, BEL, CSI...), DEL, and the bidi controls that reorder text on screen.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
#: Longest input text shown whole; the rest is counted, not printed.
MAX_SHOWN = 200


def _escaped(match: re.Match) -> str:
    point = ord(match.group(0))
    return f"\\x{point:02x}" if point < 0x100 else f"\\u{point:04x}"


def shown(text: object, limit: int = MAX_SHOWN) -> str:
    """``text`` with every control character written as an escape (``\\x1b``), cut after ``limit`` characters."""
    text = _UNSAFE.sub(_escaped, str(text))
    if len(text) > limit:
        text = f"{text[:limit]}… ({len(text) - limit} more characters)"
    return text


def json_line(data: object) -> str:
    """``data`` as one line of JSON, non-ASCII kept readable, every unsafe character a ``\\u`` escape.

    ``json`` escapes the C0 controls itself, but not DEL, the C1 controls or
    the bidi controls; escaped as ``\\u009b`` they are still valid JSON.
    """
    import json

    return _UNSAFE.sub(lambda match: f"\\u{ord(match.group(0)):04x}",
                       json.dumps(data, ensure_ascii=False, default=str))
