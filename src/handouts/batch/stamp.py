"""Variable-data printing: what a class shares is rendered once, each client is a stamp.

Every handout of a class is the same pages plus one personal box, which sits
in a fixed place and never moves the shared text. So a batch renders the
shared pages once per layer (through the normal RML pipeline, the box's area
kept clear) and draws each client's box with the very code a single build
uses (``personal.Box``), on a sheet of stamps: one page per client.

A client's file is the shared pages with their sheet page laid over page 1
as a form XObject, and one font subset per face for both. A sheet first
draws, in each face the box uses, the characters the shared pages use in
that face in the order of their codes (``Layer.seeds``, read from the
pages' own ToUnicode maps), then ASCII and a fixed set of accented letters
(``PRIMER``). So on any sheet of a layer the box's text has the codes it
would have in the shared pages' font, and the sheet's subset holds all the
shared pages need: in a client's file the sheet's font replaces the shared
pages' one (a file as small as one built alone, give or take the primer's
letters), a file is cut from the sheet by swapping one stream (about a
millisecond), and it comes out the same on whichever sheet it was drawn:
byte-identical to the file built alone. PDFs are put together with pikepdf
(qpdf), which copies streams without decoding them.
"""

from __future__ import annotations

import base64
import io
import re
import zlib
from dataclasses import dataclass, field

import pikepdf
from pikepdf import Array, Name

from handouts import build, cache
from handouts.layout import fonts, glyphs, personal

#: Resource name of the stamp in a client's file.
STAMP = "/HandoutStamp"
#: The faces a personal box is set in: their fonts are the ones a sheet and the shared pages share.
BOX_FACES = (fonts.STYLES["regular"], fonts.STYLES["bold"])


@dataclass(frozen=True)
class Layer:
    """The pages a class shares for one ``batch.LayerKey``, and what its stamps need."""

    pdf: bytes
    pages: int
    box: personal.Box
    page_size: tuple[float, float]
    lang: str
    title: str
    coverage: glyphs.Glyphs
    seeds: dict[str, str] = field(default_factory=dict)  # PostScript face name -> characters in code order

    def layout(self, info: personal.Personal) -> personal.Laid:
        """A client's box laid out, after the checks a single build makes (glyphs, fit)."""
        glyphs.check_personal(self.coverage, info.client, info.note, info.class_name)
        return self.box.layout(info)

    def sheet(self) -> "StampSheet":
        """A new sheet of stamps whose fonts match these pages' (see the module's docstring)."""
        return StampSheet(primer(self.coverage), self.seeds)


def shared_layer(job: build.Job, inputs: str | None = None, box_height: float | None = None) -> Layer:
    """The job rendered once with its personal box kept clear and empty.

    ``inputs`` is a hash of everything the pages are made from
    (``manifest.layer_digest``): pages made from the same inputs before, by
    any batch on this machine, are taken from the on-disk cache.
    """
    box = build.personal_box(job)
    height = box_height or box.rect[3]
    inputs = inputs and cache.key(inputs, repr(height))
    known = _cached(inputs)
    if known is None:
        rendered = build.render_pdf(job, box_height=height)
        with pikepdf.open(io.BytesIO(rendered.pdf)) as pdf:
            # Packed once here (every stream compressed, objects in object streams), so that
            # each client's copy is saved without compressing anything again.
            known = (_save(pdf, pack=True), rendered.pages)
        if inputs:
            cache.store("layers", inputs, {"pdf": base64.b64encode(known[0]).decode("ascii"), "pages": known[1]})
    return Layer(*known, box, job.template.page_size(job.paper), job.lang, job.content.title, job.font_coverage,
                 seeds(known[0]))


def _cached(inputs: str | None) -> tuple[bytes, int] | None:
    data = cache.load("layers", inputs) if inputs else None
    try:
        return base64.b64decode(data["pdf"], validate=True), int(data["pages"])
    except (TypeError, KeyError, ValueError):
        return None


#: Letters and marks beyond ASCII that names and notes in European languages use. A sheet
#: embeds them all up front (ASCII comes anyway), so its font subset is the same whoever is
#: on it: see ``StampSheet``.
PRIMER = (
    "ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞßàáâãäåæçèéêëìíîïðñòóôõöøùúûüýþÿ"
    "ĀāĂăĄąĆćČčĎďĐđĒēĖėĘęĚěĞğĪīĮįİıŁłŃńŇňŐőŒœŘřŚśŞşŠšŢţŤťŪūŮůŰűŲųŹźŻżŽž"
    "‘’“”–—…•·€¡¿«»°"
    "\u00a0"  # the no-break space that holds a client's first and last name on one line
)
_BFCHAR = re.compile(rb"<([0-9A-Fa-f]{2})> <([0-9A-Fa-f]{4,8})>")


def primer(coverage: glyphs.Glyphs) -> str:
    """The PRIMER characters every body face can draw."""
    return "".join(char for char in PRIMER if ord(char) in coverage.body)


def seeds(pdf: bytes) -> dict[str, str]:
    """For each box face, the characters beyond ASCII the pages use, in the order of their codes.

    Drawn first on a sheet, they get the same codes there as in the pages
    (ReportLab hands out codes in the order of first use), so one font
    subset serves both. Read from ReportLab's own ToUnicode maps.
    """
    wanted = {_face_name(face) for face in BOX_FACES}
    subsets: dict[str, dict[int, str]] = {}
    with pikepdf.open(io.BytesIO(pdf)) as document:
        for font in _fonts(document):
            prefix, _, face = str(font.get("/BaseFont", "")).lstrip("/").partition("+")
            if face in wanted and "/ToUnicode" in font:
                codes = {int(code, 16): chr(int(point, 16))
                         for code, point in _BFCHAR.findall(font.ToUnicode.read_bytes())}
                subsets.setdefault(face, {})[_subset_number(prefix)] = "".join(
                    char for code, char in sorted(codes.items())
                    if not (char == "\0" or (code == 32 and char == " ") or ("\x20" <= char < "\x80" and ord(char) == code)))
    return {face: "".join(found[number] for number in sorted(found)) for face, found in subsets.items()}


def _face_name(face: str) -> str:
    from reportlab.pdfbase import pdfmetrics

    return pdfmetrics.getFont(face).face.name.decode("latin-1")


def _subset_number(prefix: str) -> int:
    """ReportLab's subset tags: AAAAAA, AAAAAB, ... (digits written as letters, I and H skipped as in SUBSETN)."""
    digits = "ABCDEFGIJK"
    return int("".join(str(digits.index(letter)) for letter in prefix)) if prefix and set(prefix) <= set(digits) else 0


def _resources(owners: list):
    """Every resource dictionary of ``owners`` (pages, forms) and of the forms they draw, each once."""
    seen, stack = set(), list(owners)
    while stack:
        owner = stack.pop()
        if owner.is_indirect:
            if owner.objgen in seen:
                continue
            seen.add(owner.objgen)
        resources = owner.get("/Resources")
        if isinstance(resources, pikepdf.Dictionary):
            yield resources
            stack += [form for form in resources.get("/XObject", {}).values() if isinstance(form, pikepdf.Stream)]


def _fonts(document: pikepdf.Pdf):
    """Every font dictionary the pages use, their forms' included."""
    for resources in _resources([page.obj for page in document.pages]):
        fonts_here = resources.get("/Font")
        if isinstance(fonts_here, pikepdf.Dictionary):
            yield from fonts_here.values()


class StampSheet:
    """A ReportLab document of personal boxes, one page each, with fonts matched to a layer's.

    Its first page draws, in each box face, the layer's ``seeds`` and then
    the ``primer``, so the subset holds the layer's characters with the
    layer's codes, then ASCII and the primer in a fixed order. Any box whose
    text stays within them (``fits_primer``) comes out as the same content
    stream over the same fonts, on whichever sheet it is drawn.
    """

    def __init__(self, primer: str = "", seeds: dict[str, str] | None = None) -> None:
        from reportlab.pdfgen.canvas import Canvas

        self._buffer = io.BytesIO()
        # The body font from the start: a canvas otherwise names Helvetica, which is never embedded.
        self._canvas = Canvas(self._buffer, invariant=1, pageCompression=1, initialFontName=fonts.STYLES["regular"])
        self.pages = 0
        seeds = seeds or {}
        drawn = [seeds.get(_face_name(face), "") for face in BOX_FACES]
        self.known = set(primer) | set.intersection(*(set(text) for text in drawn))
        if primer or any(drawn):
            for face, seed in zip(BOX_FACES, drawn):
                self._canvas.setFont(face, 10)
                self._canvas.drawString(0, 0, seed + primer)
            self._canvas.showPage()
            self.pages = 1

    def fits_primer(self, laid: personal.Laid) -> bool:
        """True when every character of the laid-out box is ASCII, in the primer or in the seeds."""
        text = "".join(flowable.text for flowable in laid.story)
        return fonts.FALLBACK not in text and all(ord(char) < 128 or char in self.known for char in text)

    def add(self, layer: Layer, laid: personal.Laid) -> int:
        """Paint a box laid out by ``layer.layout``; return its page index."""
        self._canvas.setPageSize(layer.page_size)
        layer.box.paint(self._canvas, laid)
        self._canvas.showPage()
        self.pages += 1
        return self.pages - 1

    def finish(self) -> bytes:
        self._canvas.save()
        return self._buffer.getvalue()


class Stamper:
    """Clients' files from one sheet of stamps: the shared pages with a box on page 1.

    Each layer's pages are opened once, with the sheet's fonts put in place of
    theirs and a form XObject drawn over page 1; for each client only that
    form's content stream is replaced (the page of the sheet, as it is) and
    the file saved.
    """

    def __init__(self, sheet: bytes):
        self._sheet = pikepdf.open(io.BytesIO(sheet))
        self._open: dict[int, tuple[pikepdf.Pdf, pikepdf.Object]] = {}

    def stamp(self, page: int) -> tuple[bytes, bytes]:
        """The stamp on ``page`` as it is stored: its encoded bytes and its filter (for the class pack)."""
        contents = self._sheet.pages[page].obj.Contents
        return contents.read_raw_bytes(), contents.get(Name.Filter).unparse()

    def handout(self, layer: Layer, page: int, client: str) -> bytes:
        """The file of the client whose box is on ``page`` of the sheet."""
        pdf, form = self._layer(layer, page)
        contents = self._sheet.pages[page].obj.Contents
        filters = contents.get(Name.Filter)
        # The page's bytes as they are (still encoded), with their filters named anew in this file.
        form.write(contents.read_raw_bytes(), filter=Array(list(filters)) if isinstance(filters, Array) else filters)
        pdf.docinfo[Name.Title] = build.handout_title(layer.title, client)
        return _save(pdf)

    def _layer(self, layer: Layer, page: int) -> tuple[pikepdf.Pdf, pikepdf.Object]:
        if id(layer) not in self._open:
            pdf = pikepdf.open(io.BytesIO(layer.pdf))
            form = pdf.copy_foreign(self._sheet.pages[page].as_form_xobject())
            use_fonts([page.obj for page in pdf.pages], form.Resources.Font)
            first = pdf.pages[0]
            first.add_resource(form, Name.XObject, Name(STAMP))
            _draw_at_its_place(pdf, first)
            self._open[id(layer)] = (pdf, form)
        return self._open[id(layer)]

    def close(self) -> None:
        for pdf, _ in self._open.values():
            pdf.close()
        self._sheet.close()


def _draw_at_its_place(pdf: pikepdf.Pdf, page: pikepdf.Page) -> None:
    """Draw the stamp where the shared pages marked its place (``render.STAMP_PLACE``), else last.

    Drawn there, a client's box comes in the page's reading order where a
    single build's does (after the title): copy-paste and screen readers
    meet it in the same place. The marker is a top-level operator, between
    whole drawings, so the stamp draws in the page's own graphics state.
    """
    from handouts.layout.render import STAMP_PLACE

    operations = pikepdf.parse_content_stream(page)
    place = next((i for i, (operands, operator) in enumerate(operations)
                  if str(operator) == "MP" and operands and str(operands[0]) == STAMP_PLACE), None)
    stamp = [([], pikepdf.Operator("q")), ([Name(STAMP)], pikepdf.Operator("Do")), ([], pikepdf.Operator("Q"))]
    if place is None:
        page.contents_add(b"q\n", prepend=True)
        page.contents_add(f"Q q {STAMP} Do Q\n".encode())
        return
    operations[place:place + 1] = stamp
    # Compressed here, once per layer: a client's file is saved with its streams as they are.
    contents = pdf.make_stream(b"")
    contents.write(zlib.compress(pikepdf.unparse_content_stream(operations)), filter=Name.FlateDecode)
    page.obj.Contents = contents


def use_fonts(owners: list, replacements: pikepdf.Dictionary) -> None:
    """Point every font resource of ``owners`` (pages, forms) whose subset a sheet also has at the sheet's,
    which holds the same characters with the same codes, and more."""
    by_name = {str(font.BaseFont): font for font in replacements.values()}
    for resources in list(_resources(owners)):
        fonts_here = resources.get("/Font")
        if isinstance(fonts_here, pikepdf.Dictionary):
            for key, font in list(fonts_here.items()):
                if str(font.get("/BaseFont", "")) in by_name:
                    fonts_here[key] = by_name[str(font.BaseFont)]


def stamped_handout(layer: Layer, story: personal.Laid, client: str) -> tuple[bytes, bytes, int]:
    """A client's handout on a sheet of its own (a box with characters beyond the primer), that sheet and page."""
    sheet = layer.sheet()
    page = sheet.add(layer, story)
    data = sheet.finish()
    stamper = Stamper(data)
    try:
        return stamper.handout(layer, page, client), data, page
    finally:
        stamper.close()


def _save(pdf: pikepdf.Pdf, *, pack: bool = False) -> bytes:
    """Deterministic bytes. ``pack``: compress every stream and use object streams (slower, smaller);
    otherwise streams are copied as they are, which is what makes a client's file cheap."""
    buffer = io.BytesIO()
    pdf.save(
        buffer,
        deterministic_id=True,
        compress_streams=pack,
        stream_decode_level=pikepdf.StreamDecodeLevel.generalized if pack else pikepdf.StreamDecodeLevel.none,
        object_stream_mode=pikepdf.ObjectStreamMode.generate if pack else pikepdf.ObjectStreamMode.preserve,
    )
    return buffer.getvalue()
