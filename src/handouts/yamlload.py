"""YAML that remembers where every value came from.

Validation errors must point at ``file:line:col``; PyYAML's safe loader knows
the position of every node while it parses, so a subclass records the mark of
each mapping key and sequence item against its path (``("sections", 2,
"heading")``) and the errors can be traced back to the line the user wrote.
"""

from __future__ import annotations

import codecs
from pathlib import Path
from typing import Any

import yaml

from handouts.errors import ContentError, Problem

Location = tuple[int, int]
PathKey = tuple[Any, ...]


#: libyaml's parser when PyYAML was built with it (about 12x faster); its
#: nodes carry the same marks.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


#: More nodes than any handout file holds: anchors and aliases (``&a``, ``*a``)
#: can make a small file expand into billions of values ("billion laughs").
MAX_NODES = 200_000


class _LocatingLoader(_SafeLoader):
    """A safe loader that fills ``self.locations`` while constructing.

    It also records what PyYAML lets pass silently: a key given twice in one
    mapping (PyYAML keeps the last) becomes a problem naming both lines, and
    the text of every number or yes/no scalar is kept so a text field can
    take it as written (``title: 2026``).
    """

    def __init__(self, stream):
        super().__init__(stream)
        self.locations: dict[PathKey, Location] = {}
        self.scalars: dict[PathKey, str] = {}
        self.duplicates: list[tuple[PathKey, Location, Location]] = []
        self._budget = MAX_NODES

    def _walk(self, node: yaml.Node, path: PathKey, parents: tuple = ()) -> None:
        self._budget -= 1
        if self._budget < 0 or id(node) in parents:
            raise yaml.YAMLError("too deeply nested or self-referencing anchors (&name / *name)")
        self.locations.setdefault(path, _at(node.start_mark))
        parents += (id(node),)
        if isinstance(node, yaml.MappingNode):
            seen: dict = {}
            for key_node, value_node in node.value:
                key = key_node.value
                if isinstance(key, str) and key in seen:
                    self.duplicates.append((path + (key,), seen[key], _at(key_node.start_mark)))
                # Point a field at its key, where the user looks for it.
                seen.setdefault(key, _at(key_node.start_mark))
                self.locations[path + (key,)] = _at(key_node.start_mark)
                self._walk(value_node, path + (key,), parents)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                self._walk(item, path + (index,), parents)
        elif node.tag in _TYPED and not node.style:
            self.scalars[path] = node.value

    def get_single_data(self):
        node = self.get_single_node()
        if node is None:
            return None
        self._walk(node, ())
        return self.construct_document(node)


def _at(mark) -> Location:
    return mark.line + 1, mark.column + 1


#: Plain scalars YAML turns into something other than text.
_TYPED = {f"tag:yaml.org,2002:{kind}" for kind in ("int", "float", "bool")}


# Keep dates as the text the user wrote; models parse them where they need to.
_LocatingLoader.add_constructor(
    "tag:yaml.org,2002:timestamp", _LocatingLoader.construct_yaml_str
)


class LocatedData:
    """Parsed YAML plus the line and column of each path in it."""

    def __init__(self, data: Any, locations: dict[PathKey, Location], file: Path,
                 scalars: dict[PathKey, str] | None = None):
        self.data = data
        self.locations = locations
        self.file = file
        self.scalars = scalars or {}  # the text written for each number or yes/no
        self.problems: list[Problem] = []  # found while reading (a key given twice), for the caller to report

    def locate(self, path: PathKey) -> Location | tuple[None, None]:
        """The position of ``path``, or of its nearest located parent."""
        path = tuple(path)
        while path:
            if path in self.locations:
                return self.locations[path]
            path = path[:-1]
        return self.locations.get((), (None, None))

    def get(self, path: PathKey, default: Any = None) -> Any:
        """The raw value at ``path``, or ``default`` where the file has none.

        Checks read content through this even when the schema failed, so one
        run reports every problem of a file, not only its schema errors.
        """
        value = self.data
        for key in path:
            if not isinstance(value, (dict, list)):
                return default
            try:
                value = value[key]
            except (KeyError, IndexError, TypeError):
                return default
        return value


_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_SAVE_AS_UTF8 = "save it as UTF-8 (in your editor: Save As, Encoding: UTF-8)"


def read_text(file: Path) -> str:
    """Read a text file as UTF-8 (with or without a BOM) or BOM-marked UTF-16, or say why not."""
    try:
        raw = file.read_bytes()
    except FileNotFoundError:
        raise ContentError("file not found", file=file, hint="check the path or the content id") from None
    except OSError as exc:
        raise ContentError(f"cannot read file: {exc.strerror}", file=file) from None
    if raw.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):  # before UTF-16: the same first bytes
        try:
            return raw.decode("utf-32")
        except UnicodeDecodeError:
            raise ContentError("broken UTF-32 text", file=file, hint=_SAVE_AS_UTF8) from None
    if raw.startswith(_UTF16_BOMS):  # Windows Notepad's "Unicode"
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise ContentError("broken UTF-16 text", file=file, hint=_SAVE_AS_UTF8) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _not_utf8(file, raw, exc.start) from None


def _not_utf8(file: Path, raw: bytes, start: int) -> ContentError:
    """Name the first byte that is not UTF-8, and what it probably meant."""
    if raw.count(b"\0") > len(raw) // 4:
        return ContentError("this is UTF-16 text without a byte-order mark, not UTF-8", file=file,
                            hint=_SAVE_AS_UTF8)
    line_start = raw.rfind(b"\n", 0, start) + 1
    line = raw[:start].count(b"\n") + 1
    column = len(raw[line_start:start].decode("utf-8", "replace")) + 1
    guess = raw[start:start + 1].decode("cp1252", "replace")
    return ContentError(
        f"not UTF-8 text: byte 0x{raw[start]:02X}"
        + (f" (perhaps '{guess}' in Windows-1252 or Latin-1)" if guess.isprintable() else ""),
        file=file, line=line, column=column, hint=_SAVE_AS_UTF8,
    )


def _syntax_hint(problem: str, line_text: str) -> str:
    """What to do about a YAML syntax error, judged from the line it happened on."""
    indent = line_text[: len(line_text) - len(line_text.lstrip(" \t"))]
    if "\t" in indent or ("cannot start any token" in problem and "\t" in line_text):
        return "YAML indents with spaces only: replace the tab at the start of the line with spaces"
    if any(quote in line_text for quote in "\u201c\u201d\u2018\u2019"):
        return ("curly quotes (“ ” ‘ ’, from a word processor) do not quote text in YAML: "
                "put straight quotes (\" or ') around the whole text")
    if "mapping values are not allowed" in problem:
        return "the text holds ': ': put the whole text in quotes, e.g. title: \"Rest: a guide\""
    return "check the indentation here and on the line above, and quote text that starts with a symbol"


def load_yaml(file: Path, *, strict: bool = True) -> LocatedData:
    """Parse a YAML file, keeping positions; syntax errors and repeated keys name their lines.

    A key given twice is an error at once, or with ``strict=False`` a problem
    in ``LocatedData.problems``, reported with the file's schema errors.
    """
    text = read_text(file)
    loader = _LocatingLoader(text)
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        lines = text.splitlines()
        line_text = lines[mark.line] if mark and mark.line < len(lines) else ""
        if "\t" in line_text[: len(line_text) - len(line_text.lstrip(" \t"))]:
            problem = "a tab in the indentation"
        raise ContentError(
            f"YAML syntax: {problem}",
            file=file,
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
            hint=_syntax_hint(problem, line_text),
        ) from None
    except yaml.YAMLError as exc:
        raise ContentError(f"YAML: {exc}", file=file) from None
    finally:
        loader.dispose()
    located = LocatedData(data, loader.locations, file, loader.scalars)
    located.problems = [
        Problem(f"given twice, at lines {first[0]} and {line}", file, line, column, ".".join(map(str, path)),
                "keep one of them (YAML would silently use only the last)")
        for path, first, (line, column) in loader.duplicates
    ]
    if strict and located.problems:
        raise ContentError.collected(located.problems)
    return located
