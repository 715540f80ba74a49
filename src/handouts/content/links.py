"""Which links a handout may carry: web pages, email addresses and phone numbers.

A link in a PDF is an action the reader's viewer takes when clicked: a
``pdf:`` or ``file:`` link opens a file on the reader's machine, ``smb:``
reaches out to a network share, ``launch:`` or ``javascript:`` asks the
viewer to run something. So every link the tool writes (a Markdown link in
the content, a reference's url, the studio's website and video) must use
one of four schemes, and must not hide where it goes behind invisible
characters. The page engine's input is checked again for the same rules
(see ``rmlguard``), so no template can write another kind either.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import parse_qsl, urlsplit

from handouts import limits
from handouts.terminal import shown

#: The only schemes a link may use.
SCHEMES = ("https", "http", "mailto", "tel")
#: Characters that change how a link reads without being seen: controls, bidi marks, zero-width and spaces.
_HIDDEN = re.compile("[\x00-\x20\x7f-\xa0\u00ad\u061c\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\ufeff]")

Problem = tuple[str, str]  # (what is wrong, the hint)


def _value(url: str) -> str:
    return f"'{shown(url, 60)}'"


def _hidden(url: str) -> Problem | None:
    match = _HIDDEN.search(url)
    if match is None:
        return None
    char = match.group(0)
    if char == " ":
        return f"the link {_value(url)} has a space in it", "remove the space, or write it as %20"
    name = unicodedata.name(char, "a control character").lower()
    return (f"the link {_value(url)} holds U+{ord(char):04X} ({name}), an invisible character that can "
            "disguise where a link goes", "type the address again by hand")


def link_problem(url: str, limit: int = limits.MAX_URL_CHARS) -> Problem | None:
    """Why ``url`` may not be a link in a handout, or None."""
    if len(url) > limit:
        return (f"the link is {len(url)} characters long; at most {limit} are allowed",
                "link to a shorter address for the same page")
    hidden = _hidden(url)
    if hidden:
        return hidden
    scheme = urlsplit(url).scheme.lower() if ":" in url else ""
    if len(scheme) <= 1:  # none, or a Windows drive letter (C:\...)
        return (f"{_value(url)} is not a link a handout can carry: it needs https://, http://, mailto: or tel: "
                "in front", "write the whole web address, e.g. https://example.com/page")
    if scheme not in SCHEMES:
        return (f"links may go to https, http, mailto and tel addresses only, not '{shown(scheme, 20)}:' "
                f"({_value(url)})", "link to a web page instead (https://...)")
    parts = urlsplit(url)
    if scheme in ("http", "https") and not parts.hostname:
        return f"{_value(url)} has no site name after {scheme}://", "write the whole address, e.g. https://example.com"
    if scheme in ("http", "https") and "@" in parts.netloc:
        return (f"{_value(url)} names someone before '@' where the site's name goes, which can make a link look "
                f"as if it went to another site", f"write the address from the site's name, e.g. "
                f"{scheme}://{shown(parts.hostname or 'example.com', 40)}/")
    if scheme == "mailto":
        return _mailto_problem(url, parts)
    if scheme == "tel" and not _TEL.fullmatch(url[4:]):
        return (f"{_value(url)} is not a phone number after tel: (digits, with + - . ( ) only)",
                "write it as tel:+15550142290")
    return None


#: What may follow tel: a number, as it is dialled.
_TEL = re.compile(r"\+?[\d().-]*\d[\d().-]*")
#: What a mailto: link may fill in besides the address (no ``attach``, which some mail programs obey).
_MAIL_FIELDS = {"subject", "body", "cc", "bcc"}


def _mailto_problem(url: str, parts) -> Problem | None:
    if "@" not in parts.path:
        return f"{_value(url)} has no email address after mailto:", "write it as mailto:name@example.com"
    fields = {name.lower() for name, _ in parse_qsl(parts.query, keep_blank_values=True)}
    if parts.query and not fields or fields - _MAIL_FIELDS:
        extra = ", ".join(sorted(fields - _MAIL_FIELDS)) or shown(parts.query, 30)
        return (f"{_value(url)} asks the mail program for '{extra}': a mailto: link may fill in only "
                "subject, body, cc and bcc", "write it as mailto:name@example.com (or add ?subject=...)")
    return None


def web_address_problem(url: str, limit: int = limits.MAX_URL_CHARS) -> Problem | None:
    """Why ``url`` is not a web page's address (``https://...``) of at most ``limit`` characters, or None."""
    if len(url) > limit:
        return (f"the address is {len(url)} characters long; at most {limit} are allowed here",
                "use a shorter address for the same page (many sites have a short link for sharing)")
    scheme = urlsplit(url).scheme.lower() if "://" in url else ""
    if scheme not in ("http", "https"):
        if _hidden(url) is None and re.fullmatch(r"[\w.-]+\.[a-z]{2,}(/\S*)?", url, re.IGNORECASE):
            return f"{_value(url)} is not a web address", "write it with https:// in front"
        return f"{_value(url)} is not a web address", "write it as https://example.com (or http://)"
    return link_problem(url, limit)
