"""The Jinja sandbox every template renders in, and where its files may come from.

A template is someone else's file: template packs pass from studio to studio,
and ``handouts serve`` builds from a studio folder on a shared front-desk
machine. So a template is treated like a Word file, not like code: it is
rendered in Jinja's sandbox (no Python internals, no globals but a few
harmless ones), reads its own files only from inside the templates folder it
came from (a link leading out, a FIFO or an oversized file is an error), and
stops once it has written more RML than any handout needs. What the RML
itself may do is checked afterwards, in ``rmlguard``.
"""

from __future__ import annotations

from pathlib import Path

import jinja2
import jinja2.filters
import jinja2.sandbox

from handouts import cache, limits
from handouts.errors import ContentError, TemplateError
from handouts.project import read_regular, unusable


class FolderLoader(jinja2.FileSystemLoader):
    """Template files of one folder: regular files inside it only (a link leading out, a FIFO: an error)."""

    def get_source(self, environment, template):
        pieces = jinja2.loaders.split_template_path(template)
        for root in self.searchpath:
            path = Path(root, *pieces)
            reason = unusable(path, Path(root))
            if reason == "not found":
                continue
            if reason:
                raise TemplateError(f"template file {reason}", file=path,
                                    hint="put the template file itself in the templates folder")
            try:
                source = read_regular(path, limits.MAX_TEMPLATE_BYTES, "template file").decode("utf-8")
            except UnicodeDecodeError:
                raise TemplateError("template file is not UTF-8 text", file=path, hint="save it as UTF-8") from None
            except ContentError as error:
                raise TemplateError.collected(error.problems) from None
            mtime = path.stat().st_mtime
            return source, str(path), lambda: path.stat().st_mtime == mtime if path.exists() else False
        raise jinja2.TemplateNotFound(template)


class Bytecode(jinja2.BytecodeCache):
    """Compiled templates kept between runs in the private cache (see ``cache``): compiling costs ~130 ms."""

    def _name(self, bucket) -> str:
        return cache.key("sandboxed", jinja2.__version__, bucket.key)

    def load_bytecode(self, bucket) -> None:
        data = cache.load_bytes("templates", self._name(bucket))
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket) -> None:
        cache.store_bytes("templates", self._name(bucket), bucket.bytecode_to_string())


class Sandbox(jinja2.sandbox.SandboxedEnvironment):
    """Jinja's sandbox, narrowed to what a layout needs.

    A template is someone else's file (template packs pass between studios),
    so it sees only the values the build hands it: no attribute starting
    with ``_`` (Jinja's sandbox) or ``model_`` (pydantic's machinery), no
    global but ``range``, ``dict`` and ``namespace``, and no ``*`` or ``**``
    that would make a text or a number too large to hold.
    """

    intercepted_binops = frozenset(["*", "**"])

    def is_safe_attribute(self, obj, attr, value) -> bool:
        return not attr.startswith("model_") and super().is_safe_attribute(obj, attr, value)

    def call_binop(self, context, operator, left, right):
        if operator == "**" and isinstance(right, (int, float)) and abs(right) > 64:
            raise jinja2.sandbox.SecurityError(f"the power {right!r} is too large")
        if operator == "*":
            for text, count in ((left, right), (right, left)):
                if isinstance(text, (str, list, tuple)) and isinstance(count, int) and \
                        len(text) * count > limits.MAX_RML_CHARS:
                    raise jinja2.sandbox.SecurityError("repeating a text or list that many times makes it too long")
        return super().call_binop(context, operator, left, right)


#: What a template may print: text and numbers. A whole object would print its settings' inner workings.
PRINTABLE = (str, int, float)


def printable(value):
    """Jinja's ``finalize``: every ``{{ ... }}`` prints text or a number, never an object's workings."""
    if value is None or isinstance(value, (*PRINTABLE, jinja2.Undefined)):  # an undefined one says so itself
        return value
    raise jinja2.sandbox.SecurityError(
        f"a template prints text and numbers, not a whole {type(value).__name__}: name the field to print")


def safe_format(value, *args, **kwargs) -> str:
    """The ``format`` filter, given text and numbers only (see ``printable``)."""
    for arg in (*args, *kwargs.values()):
        printable(arg)
    return jinja2.filters.do_format(value, *args, **kwargs)


def safe_range(*args):
    """Jinja's sandboxed ``range``, its refusal of a huge one told as the sandbox's other refusals are."""
    try:
        return jinja2.sandbox.safe_range(*args)
    except OverflowError:
        raise jinja2.sandbox.SecurityError(
            f"a range of more than {jinja2.sandbox.MAX_RANGE:,} steps is too long") from None


def bounded(chunks) -> str:
    """The rendered RML, stopped once it passes ``limits.MAX_RML_CHARS`` (a template in a runaway loop)."""
    out, size = [], 0
    for chunk in chunks:
        size += len(chunk)
        if size > limits.MAX_RML_CHARS:
            raise TemplateError(f"the template wrote more than {limits.MAX_RML_CHARS:,} characters of RML",
                                hint="check its loops: a handout's RML is a few hundred kilobytes")
        out.append(chunk)
    return "".join(out)
