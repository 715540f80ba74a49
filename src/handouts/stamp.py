"""Variable-data printing: what a class shares is rendered once, each client is a stamp.

Every handout of a class is the same pages plus one personal box, which sits
in a fixed place and never moves the shared text. So a batch renders the
shared pages once per layout (through the normal RML pipeline, the box's
area kept clear), draws each client's box on a small page of its own with
the very code a single build uses (``personal.Box``), and lays the stamp
over page 1 as a form XObject.

The class pack goes one step further: each shared page becomes one form
XObject drawn on every client's page, and all the stamps of a sheet share
one font subset, so a pack grows by about a kilobyte per client. PDF pages
are put together with pikepdf (qpdf), which copies streams without
decoding them: about a millisecond a handout.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import pikepdf
from pikepdf import Array, Dictionary, Name

from handouts import __version__, build, fonts, glyphs, personal

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


def shared_layer(job: build.Job) -> Layer:
    """Render the job once with its personal box kept clear and empty."""
    box = build.personal_box(job)
    rendered = build.render_pdf(job, reserve_box=True)
    return Layer(rendered.pdf, rendered.pages, box, job.template.page_size(job.paper), job.lang, job.content.title,
                 job.font_coverage)


class StampSheet:
    """A ReportLab document of personal boxes, one page each, sharing one font subset."""

    def __init__(self) -> None:
        from reportlab.pdfgen.canvas import Canvas

        self._buffer = io.BytesIO()
        # The body font from the start: a canvas otherwise names Helvetica, which is never embedded.
        self._canvas = Canvas(self._buffer, invariant=1, pageCompression=1, initialFontName=fonts.STYLES["regular"])
        self.pages = 0

    def add(self, layer: Layer, story: list) -> int:
        """Paint a box laid out by ``layer.box.layout``; return its page index."""
        self._canvas.setPageSize(layer.page_size)
        layer.box.paint(self._canvas, story)
        self._canvas.showPage()
        self.pages += 1
        return self.pages - 1

    def finish(self) -> bytes:
        self._canvas.save()
        return self._buffer.getvalue()


def stamped_handout(layer: Layer, story: list, client: str) -> bytes:
    """One client's handout: the shared pages with their box stamped on page 1."""
    sheet = StampSheet()
    sheet.add(layer, story)
    with pikepdf.open(io.BytesIO(layer.pdf)) as pdf, pikepdf.open(io.BytesIO(sheet.finish())) as stamps:
        page = pdf.pages[0]
        page.add_resource(pdf.copy_foreign(stamps.pages[0].as_form_xobject()), Name.XObject, Name(STAMP))
        page.contents_add(b"q\n", prepend=True)
        page.contents_add(f"Q q {STAMP} Do Q\n".encode())
        pdf.docinfo[Name.Title] = build.handout_title(layer.title, client)
        return _save(pdf)


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
    """Every handout in order, a bookmark each, each starting on a front side in duplex."""
    pack = pikepdf.new()
    shared = _SharedForms(pack, layers)
    opened = [pikepdf.open(io.BytesIO(sheet)) for sheet in sheets]
    try:
        with pack.open_outline() as outline:
            for item in items:
                width, height = layers[item.layer].page_size
                if len(pack.pages) % 2:
                    pack.add_blank_page(page_size=(width, height))
                outline.root.append(pikepdf.OutlineItem(item.bookmark, len(pack.pages)))
                _add_handout(pack, shared[item.layer], opened[item.sheet].pages[item.page], (width, height))
        pack.Root.PageMode = Name.UseOutlines
        pack.Root.Lang = pikepdf.String(info.lang)
        pack.docinfo[Name.Title] = info.title
        pack.docinfo[Name.Author] = info.author
        pack.docinfo[Name.Creator] = f"studio-handouts {__version__}"
        return _save(pack, generate_object_streams=True)
    finally:
        for sheet in opened:
            sheet.close()


def _add_handout(pack: pikepdf.Pdf, shared: list, stamp: pikepdf.Page, size: tuple[float, float]) -> None:
    """Page 1 is the stamp page with the first shared form under it; later pages draw their form."""
    pack.pages.append(stamp)
    page = pack.pages[-1]
    form, _, draw = shared[0]
    resources = Dictionary({key: value for key, value in page.Resources.items()})
    resources.XObject = Dictionary({SHARED: form})
    page.Resources = resources
    contents = page.obj.get(Name.Contents)
    page.Contents = Array([draw, *(contents if isinstance(contents, Array) else [contents])])
    for _, resources, draw in shared[1:]:
        pack.pages.append(pikepdf.Page(pack.make_indirect(Dictionary(
            Type=Name.Page, MediaBox=Array([0, 0, *size]), Resources=resources, Contents=draw,
        ))))


def _save(pdf: pikepdf.Pdf, *, generate_object_streams: bool = False) -> bytes:
    """Deterministic bytes; existing streams are copied, not decoded and packed again."""
    buffer = io.BytesIO()
    pdf.save(
        buffer,
        deterministic_id=True,
        stream_decode_level=pikepdf.StreamDecodeLevel.none,
        object_stream_mode=pikepdf.ObjectStreamMode.generate if generate_object_streams
        else pikepdf.ObjectStreamMode.preserve,
    )
    return buffer.getvalue()
