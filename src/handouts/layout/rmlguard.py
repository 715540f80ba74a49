"""What the RML a template writes may do: lay out pages, never run Python or read files of its own choosing.

z3c.rml will import any module a document names (``<plugInFlowable
module="os" function="system">``, ``<plugInGraphic>``, a chart's
``labelTextFormat="pkg.func"``, a file given as ``[pkg]/path``), lets
ReportLab run Python statements (``<docExec>``, ``<docAssign>``, ``<docIf>``...),
evaluates ``<evalString>``, writes ``<logConfig>`` files, and opens any path
or URL named as an image, font or PDF to include. The rendered RML is
parsed here with a parser that resolves no entities, loads no DTD and uses no
network, and every element is checked before the engine sees it:

- Python is reached only through the entry points in :data:`PLUGINS`;
- a picture drawn through ``handouts.layout.art`` must be one the build handed to
  the template (the content's pictures, the studio's logo);
- a file named in RML must be inside the template's or the studio's folder;
- a link must use an allowed scheme (``links.SCHEMES``) or point inside the
  handout (``#ref-koch-2012``).

A refusal is a RenderError at the RML line, which the build maps back to the
template line that wrote it (``templating.point_at_template``).
"""

from __future__ import annotations

import json
import math
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from lxml import etree

from handouts import limits
from handouts.content.links import link_problem, web_address_problem
from handouts.errors import RenderError
from handouts.project import is_inside
from handouts.terminal import shown


@dataclass(frozen=True)
class Allowed:
    """What one handout's RML may use: the pictures handed to its template, and the folders of its own files."""

    pictures: frozenset[Path] = frozenset()
    folders: tuple[Path, ...] = ()


def allowed(pictures, folders) -> Allowed:
    """``Allowed`` with every path resolved (links followed), as the checks compare them."""
    return Allowed(frozenset(Path(p).resolve() for p in pictures), tuple(Path(f) for f in folders))


#: Parses rendered RML: no entities resolved, no DTD loaded, no network, no giant trees.
PARSER = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True, dtd_validation=False,
                         huge_tree=False, remove_comments=True)

#: Tags that run Python or write files: ReportLab's document logic and z3c.rml's eval and logging.
REFUSED_TAGS = {
    **dict.fromkeys(("docAssign", "docExec", "docPara", "docAssert", "docIf", "docElse", "docWhile"),
                    "runs Python code"),
    "evalString": "evaluates a Python expression",
    "logConfig": "writes a log file",
}

ParamsCheck = Callable[[dict, Allowed], "str | None"]


def _picture(params: dict, allowed: Allowed) -> str | None:
    file = params.get("file")
    if not isinstance(file, str) or Path(file).resolve() not in allowed.pictures:
        return (f"draws the file '{shown(file, 120)}', which is not a picture this handout was given "
                "(only the content's pictures and the studio's logo are)")
    return _sizes(params, "width", "height")


def _stack(params: dict, allowed: Allowed) -> str | None:
    pictures = params.get("pictures")
    if not isinstance(pictures, list) or not all(isinstance(item, dict) for item in pictures):
        return "is not given a list of pictures"
    for item in pictures:
        if problem := _picture(item, allowed):
            return problem
    return _sizes(params, "size", "floor", "gap")


def _qr(params: dict, allowed: Allowed) -> str | None:
    url = params.get("url")
    problem = web_address_problem(url, limits.MAX_QR_CHARS) if isinstance(url, str) else ("has no url", "")
    return f"a QR code: {problem[0]}" if problem else _sizes(params, "size")


def _sizes(params: dict, *names: str) -> str | None:
    for name in names:
        value = params.get(name)
        if value is not None and not (isinstance(value, (int, float)) and math.isfinite(value)
                                      and 0 <= value <= limits.MAX_SVG_POINTS):
            return f"its {name} is {shown(repr(value), 40)}, not a size in points"
    return None


#: Python entry points RML may call (``<plugInFlowable module=... function=...>``, also
#: ``<plugInGraphic>``), each with a check of the JSON it is given (None: no check).
#: This is the one list of them: add a plug-in of ours here.
PLUGINS: dict[str, ParamsCheck | None] = {
    "handouts.layout.art:flowable": _picture,
    "handouts.layout.art:stack": _stack,
    "handouts.layout.fit:mark": None,
    "handouts.layout.fit:ends_on": None,
    "handouts.layout.fit:in_panel": None,
    "handouts.layout.order:part": None,
    "handouts.layout.order:graphics_part": None,
    "handouts.layout.order:graphics_end": None,
    "handouts.layout.branding:qr": _qr,
}


@lru_cache(maxsize=1)
def attribute_kinds() -> tuple[frozenset[str], frozenset[str]]:
    """Names of the RML attributes z3c.rml opens as files, and of those it resolves to Python objects.

    Read from z3c.rml's own directive signatures, so an attribute added in a
    later release is checked too.
    """
    from z3c.rml import attr, document, interfaces  # noqa: F401  (document imports every directive module)
    from zope.interface.interface import InterfaceClass
    from zope.schema import getFields

    files, objects = set(), set()
    for name, module in list(sys.modules.items()):
        if not name.startswith("z3c.rml.") or module is None:
            continue
        for value in vars(module).values():
            if isinstance(value, InterfaceClass) and value.isOrExtends(interfaces.IRMLDirectiveSignature):
                for field_name, spec in getFields(value).items():
                    kinds = getattr(spec, "value_types", None) or (spec,)
                    if any(isinstance(kind, attr.ObjectRef) for kind in kinds):
                        objects.add(field_name)
                    if any(isinstance(kind, attr.File) for kind in kinds):
                        files.add(field_name)
    return frozenset(files), frozenset(objects)


_PYTHON_PATH = re.compile(r"^[A-Za-z_][\w.]*\.[A-Za-z_]\w*$")
_LINK_ATTRIBUTES = {"href", "url"}


def _refusal(element, allowed: Allowed) -> str | None:
    """Why one element may not reach the page engine, or None."""
    tag = etree.QName(element).localname
    if tag in REFUSED_TAGS:
        return f"<{tag}> {REFUSED_TAGS[tag]}, which a template may not do"
    if tag in ("plugInFlowable", "plugInGraphic"):
        return _plugin(tag, element, allowed)
    files, objects = attribute_kinds()
    for name, value in element.attrib.items():
        if name in files and tag != "document":
            problem = _file(value, allowed)
            if problem:
                return f"<{tag} {name}=...> {problem}"
        elif name in objects and _PYTHON_PATH.match(value.strip()):
            return f"<{tag} {name}=\"{shown(value, 60)}\"> names Python code, which a template may not call"
        elif name in _LINK_ATTRIBUTES and not re.fullmatch(r"#[\w.-]+", value):
            problem = link_problem(value)
            if problem:
                return f"<{tag} {name}=...>: {problem[0]}"
    return None


def _plugin(tag: str, element, allowed: Allowed) -> str | None:
    entry = f"{element.get('module', '')}:{element.get('function', '')}"
    if entry not in PLUGINS:
        module, function = shown(element.get("module", ""), 60), shown(element.get("function", ""), 60)
        return f"<{tag} module=\"{module}\" function=\"{function}\"> calls Python code, which a template may not do"
    check = PLUGINS[entry]
    text = element.text or ""
    if check is None:
        return None
    if len(text) > limits.MAX_TEXT_CHARS:
        return f"<{tag}> for {entry} is given {len(text)} characters"
    try:
        params = json.loads(text)
    except ValueError:
        return f"<{tag}> for {entry} is not given JSON"
    problem = check(params, allowed) if isinstance(params, dict) else "is not given JSON fields"
    return f"<{tag}> for {entry} {problem}" if problem else None


def _file(value: str, allowed: Allowed) -> str | None:
    """Why a file named in RML may not be opened, or None (see ``z3c.rml.attr.File``)."""
    if value.startswith("["):
        return f"names '{shown(value, 60)}' inside a Python package, which a template may not"
    if len(urlsplit(value).scheme) > 1:
        return f"names '{shown(value, 60)}', which is not a file (a template may not fetch from addresses)"
    if not any(is_inside(Path(value), folder) for folder in allowed.folders):
        return f"names the file '{shown(value, 120)}', outside the template's and the studio's folders"
    return None


def check(root, allowed: Allowed, source: str) -> None:
    """Refuse RML that declares entities or that any element of it may not (see the module's docstring)."""
    dtd = root.getroottree().docinfo.internalDTD  # a DOCTYPE's own declarations; naming "rml.dtd" is fine
    if dtd is not None and (list(dtd.iterelements()) or list(dtd.iterentities())):
        raise _refused("the RML declares its own DTD or entities (<!DOCTYPE ... [ ]>), which a template may not",
                       source, 1)
    for element in root.iter(etree.Element):
        problem = _refusal(element, allowed)
        if problem:
            raise _refused(problem, source, element.sourceline)


def _refused(message: str, source: str, line: int | None) -> RenderError:
    error = RenderError(f"the template's RML: {message}", file=source,
                        hint="templates may lay out the page and use what they are given; "
                             "templates/README.md lists what that is")
    error.rml_line = line
    return error
