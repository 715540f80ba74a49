"""YAML that remembers where every value came from.

Validation errors must point at ``file:line:col``; PyYAML's safe loader knows
the position of every node while it parses, so a subclass records the mark of
each mapping key and sequence item against its path (``("sections", 2,
"heading")``) and the errors can be traced back to the line the user wrote.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from handouts.errors import ContentError

Location = tuple[int, int]
PathKey = tuple[Any, ...]


#: libyaml's parser when PyYAML was built with it (about 12x faster); its
#: nodes carry the same marks.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LocatingLoader(_SafeLoader):
    """A safe loader that fills ``self.locations`` while constructing."""

    def __init__(self, stream):
        super().__init__(stream)
        self.locations: dict[PathKey, Location] = {}

    def _walk(self, node: yaml.Node, path: PathKey) -> None:
        self.locations.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                key = key_node.value
                # Point a field at its key, where the user looks for it.
                self.locations[path + (key,)] = (
                    key_node.start_mark.line + 1,
                    key_node.start_mark.column + 1,
                )
                self._walk(value_node, path + (key,))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                self._walk(item, path + (index,))

    def get_single_data(self):
        node = self.get_single_node()
        if node is None:
            return None
        self._walk(node, ())
        return self.construct_document(node)


# Keep dates as the text the user wrote; models parse them where they need to.
_LocatingLoader.add_constructor(
    "tag:yaml.org,2002:timestamp", _LocatingLoader.construct_yaml_str
)


class LocatedData:
    """Parsed YAML plus the line and column of each path in it."""

    def __init__(self, data: Any, locations: dict[PathKey, Location], file: Path):
        self.data = data
        self.locations = locations
        self.file = file

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


def read_text(file: Path) -> str:
    """Read a text file as UTF-8 (with or without a BOM), or say why not."""
    try:
        raw = file.read_bytes()
    except FileNotFoundError:
        raise ContentError("file not found", file=file, hint="check the path or the content id") from None
    except OSError as exc:
        raise ContentError(f"cannot read file: {exc.strerror}", file=file) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ContentError(
            f"not UTF-8 text (byte 0x{raw[exc.start]:02x})",
            file=file,
            line=line,
            hint="save the file as UTF-8 in your editor",
        ) from None


def load_yaml(file: Path) -> LocatedData:
    """Parse a YAML file, keeping positions; syntax errors name their line."""
    text = read_text(file)
    loader = _LocatingLoader(text)
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        raise ContentError(
            f"YAML syntax: {problem}",
            file=file,
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
            hint="check indentation and quote text that contains ': ' or starts with a symbol",
        ) from None
    except yaml.YAMLError as exc:
        raise ContentError(f"YAML syntax: {exc}", file=file) from None
    finally:
        loader.dispose()
    return LocatedData(data, loader.locations, file)
