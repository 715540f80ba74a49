"""YAML that remembers where every value came from.

Validation errors must point at ``file:line:col``; PyYAML's safe loader knows
the position of every node while it parses, so a subclass records the mark of
each mapping key and sequence item against its path (``("sections", 2,
"heading")``) and the errors can be traced back to the line the user wrote.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path
from typing import Any

import yaml

from handouts import limits
from handouts.errors import ContentError, Problem
from handouts.project import read_regular
from handouts.terminal import shown

Location = tuple[int, int]
PathKey = tuple[Any, ...]


#: libyaml's parser when PyYAML was built with it (about 12x faster); its
#: nodes carry the same marks.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LocatingLoader(_SafeLoader):
    """A safe loader that fills ``self.locations`` while constructing.

    It also records what PyYAML lets pass silently: a key given twice in one
    mapping (PyYAML keeps the last) becomes a problem naming both lines, and
    the text of every number or yes/no scalar is kept so a text field can
    take it as written (``title: 2026``). The document's shape was checked
    before (``_check_shape``), so the walk is bounded.
    """

    def __init__(self, stream):
        super().__init__(stream)
        self.locations: dict[PathKey, Location] = {}
        self.scalars: dict[PathKey, str] = {}
        self.duplicates: list[tuple[PathKey, Location, Location]] = []

    def _walk(self, node: yaml.Node, path: PathKey) -> None:
        self.locations.setdefault(path, _at(node.start_mark))
        if isinstance(node, yaml.MappingNode):
            seen: dict = {}
            for key_node, value_node in node.value:
                key = key_node.value
                if key in seen:
                    self.duplicates.append((path + (key,), seen[key], _at(key_node.start_mark)))
                # Point a field at its key, where the user looks for it.
                seen.setdefault(key, _at(key_node.start_mark))
                self.locations[path + (key,)] = _at(key_node.start_mark)
                self._walk(value_node, path + (key,))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                self._walk(item, path + (index,))
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


#: Tags a handout file may write out (``!!int 5``, ``!!str 2026``); others (``!!binary``, ``!mine``) are refused.
_TAGS = {f"tag:yaml.org,2002:{kind}" for kind in ("str", "int", "float", "bool", "null", "timestamp")} | {"!"}
_COLLECTION_TAGS = {"tag:yaml.org,2002:seq", "tag:yaml.org,2002:map", "!"}
#: What a tag asks a scalar to be.
_TAG_WANTS = {"int": "a whole number", "float": "a number", "bool": "true or false"}


def _tag_name(tag: str) -> str:
    return shown(tag.replace("tag:yaml.org,2002:", "!!"), 40)


def _shape_error(file: Path, mark, message: str, hint: str, frames: list | None = None) -> ContentError:
    line, column = _at(mark) if mark else (None, None)
    path = [frame.key if frame.mapping else frame.items - 1 for frame in frames or []]
    field = ".".join(shown(part, 60) for part in path if part is not None) or None
    return ContentError(message, file=file, line=line, column=column, field=field, hint=hint)


def _scalar_problem(event) -> tuple[str, str] | None:
    """Why a scalar cannot be read as written (too long, an unknown tag, a tag its text does not fit), or None."""
    if len(event.value) > limits.MAX_TEXT_CHARS:
        return (f"a text of {len(event.value)} characters; at most {limits.MAX_TEXT_CHARS} are allowed",
                "shorten it, or split it into several steps or paragraphs")
    tag = event.tag
    if tag is None or event.implicit[0]:
        return None
    if tag in _COLLECTION_TAGS - {"!"}:
        return f"the tag {_tag_name(tag)} is for a list or fields, not a single value", "remove the tag"
    if tag not in _TAGS:
        return (f"the YAML tag {_tag_name(tag)} is not used in handout files",
                "remove the tag and write the value as plain text, a number, a list or fields")
    kind = tag.rsplit(":", 1)[-1]
    if kind not in _TAG_WANTS:
        return None
    try:
        yaml.constructor.SafeConstructor.yaml_constructors[tag](yaml.constructor.SafeConstructor(),
                                                               yaml.ScalarNode(tag, event.value))
    except (ValueError, KeyError, IndexError, TypeError, OverflowError):
        written = f"'{shown(event.value, 40)}'" if event.value else "nothing"
        return (f"{_tag_name(tag)} asks for {_TAG_WANTS[kind]}, but {written} follows it",
                f"remove the {_tag_name(tag)} tag, or write {_TAG_WANTS[kind]} after it")
    return None


class _Frame:
    """An open list or mapping while the shape is checked."""

    def __init__(self, mapping: bool, start: int, anchor: str | None, level: int):
        self.mapping, self.start, self.anchor, self.level = mapping, start, anchor, level
        self.items, self.deepest = 0, level
        self.key = None  # a mapping's key being read, for the field named in an error


def _check_shape(text: str, file: Path) -> None:
    """Refuse a document too deep, too long or too repetitive, from its events, before it is built.

    Counts every value with aliases (``*name``) expanded, so a few lines of
    anchors cannot stand for billions of values; refuses an alias inside
    the value it names, and field names that are lists or mappings.
    """
    parser = _SafeLoader(text)
    frames: list[_Frame] = []
    anchors: dict[str, tuple[int, int, bool]] = {}  # name -> (values, levels, is a list or mapping)
    total = 0
    try:
        while parser.check_event():
            event = parser.get_event()
            if isinstance(event, yaml.CollectionEndEvent):
                frame = frames.pop()
                if frame.anchor:
                    anchors[frame.anchor] = (total - frame.start, frame.deepest - frame.level + 1, True)
                if frames:
                    frames[-1].deepest = max(frames[-1].deepest, frame.deepest)
                continue
            if not isinstance(event, yaml.NodeEvent):
                continue
            total, reach = _check_node(event, frames, anchors, total, file)
            if total > limits.MAX_YAML_NODES:
                raise _shape_error(file, event.start_mark,
                                   f"more than {limits.MAX_YAML_NODES} values in one file (an alias *name "
                                   "counts as every value it repeats)", "is it the right file? a handout has "
                                   "a few hundred values", frames)
            if reach > limits.MAX_YAML_DEPTH:
                raise _shape_error(file, event.start_mark,
                                   f"nested more than {limits.MAX_YAML_DEPTH} levels deep",
                                   "a handout's fields nest a few levels at most: check the indentation", frames)
            if frames:
                frames[-1].deepest = max(frames[-1].deepest, reach)
    finally:
        parser.dispose()


def _check_node(event, frames: list[_Frame], anchors: dict, total: int, file: Path) -> tuple[int, int]:
    """One value's checks; returns the new count of values and the deepest level it reaches."""
    parent = frames[-1] if frames else None
    is_key = False
    if parent is not None:
        parent.items += 1
        is_key = parent.mapping and parent.items % 2 == 1
        if parent.items > limits.MAX_LIST_ITEMS * (2 if parent.mapping else 1):
            what = "fields in one mapping" if parent.mapping else "items in one list"
            raise _shape_error(file, event.start_mark, f"more than {limits.MAX_LIST_ITEMS} {what}",
                               "is it the right file? a handout's lists are far shorter", frames[:-1])
    level = len(frames)
    if isinstance(event, yaml.AliasEvent):
        name = event.anchor
        if any(frame.anchor == name for frame in frames):
            name = shown(name, 40)
            raise _shape_error(file, event.start_mark, f"*{name} is used inside &{name}, the value it names: "
                               "a value cannot contain itself", f"use *{name} after the value of &{name} ends", frames)
        if name not in anchors:
            name = shown(name, 40)
            raise _shape_error(file, event.start_mark, f"*{name} names no anchor: there is no &{name} above it",
                               f"mark the value to repeat with &{name} first, or remove the *", frames)
        values, levels, collection = anchors[name]
        if is_key and collection:
            raise _key_error(file, event.start_mark, frames)
        return total + values, level + levels
    if isinstance(event, yaml.ScalarEvent):
        problem = _scalar_problem(event)
        if problem is None and is_key and len(event.value) > limits.MAX_KEY_CHARS:
            problem = (f"a field name of {len(event.value)} characters; at most {limits.MAX_KEY_CHARS}",
                       "is a ':' missing after a name, or is there one too many in a text?")
        if problem:
            raise _shape_error(file, event.start_mark, *problem, frames)
        if is_key:
            parent.key = event.value
        if event.anchor:
            anchors[event.anchor] = (1, 0, False)
        return total + 1, level
    if is_key:
        raise _key_error(file, event.start_mark, frames)
    if event.tag is not None and not event.implicit and event.tag not in _COLLECTION_TAGS:
        raise _shape_error(file, event.start_mark,
                           f"the tag {_tag_name(event.tag)} is for a single value, not a list or fields",
                           "remove the tag", frames)
    frames.append(_Frame(isinstance(event, yaml.MappingStartEvent), total, event.anchor, level + 1))
    return total + 1, level + 1


def _key_error(file: Path, mark, frames: list) -> ContentError:
    return _shape_error(file, mark, "a field name here is a list or a mapping (YAML's '? [a, b]'); "
                        "field names are plain text", "write each field as 'name: value'", frames[:-1])


#: What YAML refuses to read: control characters other than tab and line ends (PyYAML's own set).
_NOT_YAML = re.compile("[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010FFFF]")


def _check_characters(text: str, file: Path) -> None:
    """A control character (invisible in most editors) is named with its line and column."""
    match = _NOT_YAML.search(text)
    if match is None:
        return
    start = match.start()
    line = text.count("\n", 0, start) + 1
    column = start - (text.rfind("\n", 0, start) + 1) + 1
    point = ord(match.group(0))
    kind = "a lone surrogate" if 0xD800 <= point <= 0xDFFF else "a control character"
    raise ContentError(f"the character U+{point:04X} ({kind}) cannot be in a YAML file", file=file, line=line,
                       column=column, hint="delete it: it is invisible in most editors, and often comes "
                                           "with text copied out of a PDF or a word processor")


class LocatedData:
    """Parsed YAML plus the line and column of each path in it."""

    def __init__(self, data: Any, locations: dict[PathKey, Location], file: Path,
                 scalars: dict[PathKey, str] | None = None):
        self.data = data
        self.locations = locations
        self.file = file
        self.scalars = scalars or {}  # the text written for each number or yes/no
        self.problems: list[Problem] = []  # found while reading (a key given twice), for the caller to report
        self.lines: list[str] = []  # the file's text, line by line, for hints about what was written

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


def read_text(file: Path, limit: int = limits.MAX_SETTINGS_BYTES) -> str:
    """Read a text file as UTF-8 (with or without a BOM) or BOM-marked UTF-16, or say why not.

    Only a regular file of at most ``limit`` bytes is read (a FIFO is
    refused, never waited on).
    """
    raw = read_regular(file, limit, "the file")
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
    if "second document" in problem:
        return "a file holds one document: remove the '---' line and what follows it, or move that to a file of its own"
    if "mapping values are not allowed" in problem:
        return "the text holds ': ': put the whole text in quotes, e.g. title: \"Rest: a guide\""
    return "check the indentation here and on the line above, and quote text that starts with a symbol"


def load_yaml(file: Path, *, strict: bool = True) -> LocatedData:
    """Parse a YAML file, keeping positions; syntax errors and repeated keys name their lines.

    A key given twice is an error at once, or with ``strict=False`` a problem
    in ``LocatedData.problems``, reported with the file's schema errors.
    """
    text = read_text(file)
    _check_characters(text, file)
    loader = _LocatingLoader(text)
    try:
        _check_shape(text, file)
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        if problem.startswith("but found another document"):
            problem = "a second document (a line '---') in one file"
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
    except yaml.YAMLError:
        raise ContentError("this is not a YAML file the tool can read", file=file,
                           hint="open it in a text editor and save it again as UTF-8 text") from None
    finally:
        loader.dispose()
    located = LocatedData(data, loader.locations, file, loader.scalars)
    located.lines = text.splitlines()
    located.problems = [
        Problem(f"given twice, at lines {first[0]} and {line}", file, line, column,
                ".".join(shown(part, 60) for part in path),
                "keep one of them (YAML would silently use only the last)")
        for path, first, (line, column) in loader.duplicates
    ]
    if strict and located.problems:
        raise ContentError.collected(located.problems)
    return located
