"""Variable-data printing: what a class shares is rendered once, each client is a stamp.

Every handout of a class is the same pages plus one personal box, which sits
in a fixed place and never moves the shared text. So a batch renders the
shared pages once per layout (through the normal RML pipeline, the box's
area kept clear) and draws each client's box with the very code a single
build uses (``personal.Box``), on a sheet of stamps: one page per client.

A client's file is the shared pages with their sheet page laid over page 1
as a form XObject. Client sheets embed ASCII and a fixed set of accented
letters first (``PRIMER``), so a box comes out the same (same fonts, same
content stream) on whichever sheet it is drawn, and a file is cut from the
sheet by swapping one stream: about a millisecond. The class pack goes one
step further: each shared page is one form XObject drawn on every client's
page, and the pack's stamps share one small font subset, so the pack grows
by about a kilobyte per client. PDFs are put together with pikepdf (qpdf),
which copies streams without decoding them.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass

import pikepdf
from pikepdf import Array, Dictionary, Name

from handouts import __version__, build, cache, fonts, glyphs, personal

#: Resource names of the stamp (in a client's file) and of a shared page (in the pack).
STAMP = "/HandoutStamp"
SHARED = "/HandoutPage"


@dataclass(frozen=True)
class Layer:
    """The pages a class shares for one content, template, language and paper."""

    pdf: bytes
    pages: int
    box: personal.Box
    page_size: tuple[float, float]
    lang: str
    title: str
    coverage: glyphs.Glyphs

    def layout(self, info: personal.Personal) -> list:
        """A client's box laid out, after the checks a single build makes (glyphs, fit)."""
        glyphs.check_personal(self.coverage, info.client, info.note)
        return self.box.layout(info)


def shared_layer(job: build.Job, inputs: str | None = None) -> Layer:
    """The job rendered once with its personal box kept clear and empty.

    ``inputs`` is a hash of everything the pages are made from
    (``manifest.layer_digest``): pages made from the same inputs before, by
    any batch on this machine, are taken from the on-disk cache.
    """
    box = build.personal_box(job)
    known = _cached(inputs)
    if known is None:
        rendered = build.render_pdf(job, reserve_box=True)
        with pikepdf.open(io.BytesIO(rendered.pdf)) as pdf:
            # Packed once here (every stream compressed, objects in object streams), so that
            # each client's copy is saved without compressing anything again.
            known = (_save(pdf, pack=True), rendered.pages)
        if inputs:
            cache.store("layers", inputs, {"pdf": base64.b64encode(known[0]).decode("ascii"), "pages": known[1]})
    return Layer(*known, box, job.template.page_size(job.paper), job.lang, job.content.title, job.font_coverage)


def _cached(inputs: str | None) -> tuple[bytes, int] | None:
    data = cache.load("layers", inputs) if inputs else None
    try:
        return base64.b64decode(data["pdf"], validate=True), int(data["pages"])
    except (TypeError, KeyError, ValueError):
        return None


#: Letters and marks beyond ASCII that names and notes in European languages use. A client
#: sheet embeds them all up front (ASCII comes anyway), so its font subset is the same
#: whoever is on it: see ``StampSheet``. At most 160, to stay in one subset of 256 codes.
PRIMER = (
    "ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞßàáâãäåæçèéêëìíîïðñòóôõöøùúûüýþÿ"
    "ĀāĂăĄąĆćČčĎďĐđĒēĖėĘęĚěĞğĪīĮįİıŁłŃńŇňŐőŒœŘřŚśŞşŠšŢţŤťŪūŮůŰűŲųŹźŻżŽž"
    "‘’“”–—…•·€¡¿«»°"
)


def primer(coverage: glyphs.Glyphs) -> str:
    """The PRIMER characters every body face can draw."""
    return "".join(char for char in PRIMER if ord(char) in coverage.body)


class StampSheet:
    """A ReportLab document of personal boxes, one page each, sharing one font subset.

    A sheet given a ``primer`` first draws it on a page of its own, so the
    subset holds ASCII and the primer in a fixed order: any box whose text
    stays within them (``fits_primer``) comes out as the same content stream
    over the same fonts, on whichever sheet it is drawn. That is what lets
    many clients' files be cut from one sheet and still be byte-identical to
    a file built alone.
    """

    def __init__(self, primer: str = "") -> None:
        from reportlab.pdfgen.canvas import Canvas

        self._buffer = io.BytesIO()
        # The body font from the start: a canvas otherwise names Helvetica, which is never embedded.
        self._canvas = Canvas(self._buffer, invariant=1, pageCompression=1, initialFontName=fonts.STYLES["regular"])
        self.pages = 0
        self.primer = primer
        if primer:
            for face in (fonts.STYLES["regular"], fonts.STYLES["bold"]):
                self._canvas.setFont(face, 10)
                self._canvas.drawString(0, 0, primer)
            self._canvas.showPage()
            self.pages = 1

    def fits_primer(self, story: list) -> bool:
        """True when every character of the laid-out box is ASCII or in the primer, in the body faces."""
        text = "".join(flowable.text for flowable in story)
        return fonts.FALLBACK not in text and all(ord(char) < 128 or char in self.primer for char in text)

    def add(self, layer: Layer, story: list) -> int:
        """Paint a box laid out by ``layer.layout``; return its page index."""
        self._canvas.setPageSize(layer.page_size)
        layer.box.paint(self._canvas, story)
        self._canvas.showPage()
        self.pages += 1
        return self.pages - 1

    def finish(self) -> bytes:
        self._canvas.save()
        return self._buffer.getvalue()


class Stamper:
    """Clients' files from one sheet of stamps: the shared pages with a box on page 1.

    Each layer's pages are opened once, with the sheet's fonts copied in and a
    form XObject drawn over page 1; for each client only that form's content
    stream is replaced (the page of the sheet, as it is) and the file saved.
    """

    def __init__(self, sheet: bytes):
        self._sheet = pikepdf.open(io.BytesIO(sheet))
        self._open: dict[int, tuple[pikepdf.Pdf, pikepdf.Object]] = {}

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
            first = pdf.pages[0]
            first.add_resource(form, Name.XObject, Name(STAMP))
            first.contents_add(b"q\n", prepend=True)
            first.contents_add(f"Q q {STAMP} Do Q\n".encode())
            self._open[id(layer)] = (pdf, form)
        return self._open[id(layer)]

    def close(self) -> None:
        for pdf, _ in self._open.values():
            pdf.close()
        self._sheet.close()


def stamped_handout(layer: Layer, story: list, client: str) -> bytes:
    """One client's handout on a sheet of its own (for a box with characters beyond the primer)."""
    sheet = StampSheet(primer(layer.coverage))
    page = sheet.add(layer, story)
    stamper = Stamper(sheet.finish())
    try:
        return stamper.handout(layer, page, client)
    finally:
        stamper.close()


@dataclass(frozen=True)
class PackItem:
    """One handout in a class pack: its layer, its bookmark, and where its stamp is."""

    layer: int
    bookmark: str
    sheet: int
    page: int


@dataclass(frozen=True)
class PackInfo:
    title: str
    author: str
    lang: str


class _SharedForms:
    """Each shared page of each layer as one form XObject in the pack, made on first use."""

    def __init__(self, pack: pikepdf.Pdf, layers: list[Layer]):
        self.pack, self.layers, self._made = pack, layers, {}

    def __getitem__(self, layer: int) -> list[tuple[pikepdf.Object, pikepdf.Object, pikepdf.Object]]:
        """(form, resources, content stream that draws it) for each page of ``layer``."""
        if layer not in self._made:
            draw = self.pack.make_indirect(pikepdf.Stream(self.pack, f"q {SHARED} Do Q\n".encode()))
            with pikepdf.open(io.BytesIO(self.layers[layer].pdf)) as source:
                forms = [self.pack.copy_foreign(page.as_form_xobject()) for page in source.pages]
            self._made[layer] = [
                (form, self.pack.make_indirect(Dictionary(XObject=Dictionary({SHARED: form}))), draw)
                for form in forms
            ]
        return self._made[layer]


def class_pack(layers: list[Layer], sheets: list[bytes], items: list[PackItem], info: PackInfo) -> bytes:
    """Every handout in order, a bookmark each, each starting on a front side in duplex.

    The page tree is written in one pass, as one list of pages: appending
    pages one by one costs qpdf a walk of the tree each time, which made the
    pack of a large class take quadratic time.
    """
    pack = pikepdf.new()
    shared = _SharedForms(pack, layers)
    opened = [pikepdf.open(io.BytesIO(sheet)) for sheet in sheets]
    resources: dict[tuple[int, int], pikepdf.Object] = {}  # page 1's, for each sheet's fonts and layer
    media = {index: pack.make_indirect(Array([0, 0, *layer.page_size])) for index, layer in enumerate(layers)}
    kids: list[pikepdf.Object] = []
    try:
        with pack.open_outline() as outline:
            for item in items:
                if len(kids) % 2:
                    kids.append(pack.make_indirect(Dictionary(Type=Name.Page, MediaBox=media[item.layer],
                                                              Resources=Dictionary())))
                stamp = opened[item.sheet].pages[item.page].obj
                if (item.sheet, item.layer) not in resources:
                    form = shared[item.layer][0][0]
                    resources[item.sheet, item.layer] = pack.make_indirect(Dictionary(
                        Font=pack.copy_foreign(stamp.Resources.Font), XObject=Dictionary({SHARED: form})))
                pages = _handout_pages(pack, shared[item.layer], pack.copy_foreign(stamp.Contents),
                                       resources[item.sheet, item.layer], media[item.layer])
                outline.root.append(pikepdf.OutlineItem(item.bookmark, Array([pages[0], Name.Fit])))
                kids += pages
        tree = pack.Root.Pages
        for page in kids:
            page.Parent = tree
        tree.Kids = Array(kids)
        tree.Count = len(kids)
        pack.Root.PageMode = Name.UseOutlines
        pack.Root.Lang = pikepdf.String(info.lang)
        pack.docinfo[Name.Title] = info.title
        pack.docinfo[Name.Author] = info.author
        pack.docinfo[Name.Creator] = f"studio-handouts {__version__}"
        return _save(pack, pack=True)
    finally:
        for sheet in opened:
            sheet.close()


def _handout_pages(pack: pikepdf.Pdf, shared: list, stamp: pikepdf.Object, first_resources: pikepdf.Object,
                   media: pikepdf.Object) -> list[pikepdf.Object]:
    """Page 1 draws the first shared form, then the stamp; later pages draw theirs."""
    _, _, draw = shared[0]
    pages = [Dictionary(Type=Name.Page, MediaBox=media, Contents=Array([draw, stamp]), Resources=first_resources)]
    pages += [Dictionary(Type=Name.Page, MediaBox=media, Resources=resources, Contents=draw)
              for _, resources, draw in shared[1:]]
    return [pack.make_indirect(page) for page in pages]


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
