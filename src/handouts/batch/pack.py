"""The class pack: every client's handout in one PDF, in one pass, in memory that does not grow with the class.

What the class shares is put together once with pikepdf: each layer's pages
as form XObjects over the fonts its sheets use, and the few fonts of boxes
that needed a sheet of their own. That small PDF is then extended by one
incremental update (PDF 32000-1, 7.5.6) written as it goes: for each client
their stamp's stream, copied as it is stored, their pages (page 1 draws the
shared form and the stamp, later pages their shared form), and at the end
the page tree, the bookmarks, the catalogue and a cross-reference stream.
Nothing per client is kept but two numbers and a bookmark, so a class of
5000 costs the memory of a class of 300, and the time grows with the class.
Each handout starts on a front side in duplex (a blank page after an odd
one).
"""

from __future__ import annotations

import hashlib
import io
import struct
import zlib
from dataclasses import dataclass

import pikepdf
from pikepdf import Array, Dictionary, Name

from handouts import __version__
from handouts.batch.stamp import Layer

#: The resource name of a shared page drawn on a client's page.
SHARED = "/HandoutPage"


@dataclass(frozen=True)
class PackItem:
    """One handout in a class pack: its layer, its bookmark, and its stamp.

    ``stamp`` is (stream, filter) from a shared sheet of the layer, or
    ``own`` is (sheet, page) for a box drawn on a sheet of its own.
    """

    layer: int
    bookmark: str
    stamp: tuple[bytes, bytes] | None = None
    own: tuple[bytes, int] | None = None


@dataclass(frozen=True)
class PackInfo:
    title: str
    author: str
    lang: str


def class_pack(layers: list[Layer], items: list[PackItem], info: PackInfo) -> bytes:
    """Every handout in order, a bookmark each, each starting on a front side in duplex."""
    base, refs = _shared_part(layers, items)
    writer = _Update(base)
    kids, marks = [], []
    for number, item in enumerate(items):
        layer = refs[f"/L{item.layer}"]
        if len(kids) % 2:
            kids.append(writer.add(f"<< /Type /Page /Parent {writer.pages} 0 R /MediaBox {layer['media']} 0 R "
                                   "/Resources << >> >>".encode()))
        stream, filters = item.stamp or _own_stamp(item.own)
        stamp = writer.add_stream(b"/Filter " + filters, stream)
        first = refs[f"/O{number}"] if item.own else layer["first"]
        kids.append(writer.add(f"<< /Type /Page /Parent {writer.pages} 0 R /MediaBox {layer['media']} 0 R "
                               f"/Resources {first} 0 R /Contents [{layer['draw0']} 0 R {stamp} 0 R] >>".encode()))
        marks.append((item.bookmark, kids[-1]))
        for page, resources in enumerate(layer["rest"], start=1):
            kids.append(writer.add(f"<< /Type /Page /Parent {writer.pages} 0 R /MediaBox {layer['media']} 0 R "
                                   f"/Resources {resources} 0 R /Contents {layer[f'draw{page}']} 0 R >>".encode()))
    return writer.finish(kids, marks, info)


def _own_stamp(own: tuple[bytes, int]) -> tuple[bytes, bytes]:
    with pikepdf.open(io.BytesIO(own[0])) as sheet:
        contents = sheet.pages[own[1]].obj.Contents
        return contents.read_raw_bytes(), contents.get(Name.Filter).unparse()


def _shared_part(layers: list[Layer], items: list[PackItem]) -> tuple[bytes, dict]:
    """The PDF the update extends, and the object numbers of what the clients' pages draw."""
    from handouts.batch.stamp import use_fonts

    base = pikepdf.new()
    index = Dictionary()
    opened, first_forms = [], []
    try:
        for number, layer in enumerate(layers):
            source = pikepdf.open(io.BytesIO(layer.pdf))
            fonts = pikepdf.open(io.BytesIO(layer.sheet().finish()))  # the fonts every shared sheet has
            opened += [source, fonts]
            merged = base.copy_foreign(fonts.pages[0].Resources.get("/Font", Dictionary()))
            forms = [base.copy_foreign(page.as_form_xobject()) for page in source.pages]
            use_fonts(forms, merged)
            first_forms.append(forms[0])
            index[f"/L{number}M"] = base.make_indirect(Array([0, 0, *layer.page_size]))
            index[f"/L{number}F"] = base.make_indirect(Dictionary(Font=merged, XObject=Dictionary({SHARED: forms[0]})))
            for page, form in enumerate(forms):
                index[f"/L{number}D{page}"] = base.make_indirect(pikepdf.Stream(base, f"q {SHARED} Do Q\n".encode()))
                if page:
                    index[f"/L{number}R{page}"] = base.make_indirect(Dictionary(XObject=Dictionary({SHARED: form})))
        for position, item in enumerate(items):
            if item.own:  # a box beyond the primer: its sheet's fonts, once
                sheet = pikepdf.open(io.BytesIO(item.own[0]))
                opened.append(sheet)
                index[f"/O{position}"] = base.make_indirect(Dictionary(
                    Font=base.copy_foreign(sheet.pages[item.own[1]].Resources.Font),
                    XObject=Dictionary({SHARED: first_forms[item.layer]})))
        base.Root.HandoutIndex = index
        buffer = io.BytesIO()
        base.save(buffer, deterministic_id=True, compress_streams=True,
                  object_stream_mode=pikepdf.ObjectStreamMode.generate)
    finally:
        for document in opened:
            document.close()
    data = buffer.getvalue()
    with pikepdf.open(io.BytesIO(data)) as saved:
        found = {str(key): value.objgen[0] for key, value in saved.Root.HandoutIndex.items()}
    refs = {}
    for number, layer in enumerate(layers):
        refs[f"/L{number}"] = {"media": found[f"/L{number}M"], "first": found[f"/L{number}F"],
                               "rest": [found[f"/L{number}R{page}"] for page in range(1, layer.pages)],
                               **{f"draw{page}": found[f"/L{number}D{page}"] for page in range(layer.pages)}}
    refs.update({key: value for key, value in found.items() if key.startswith("/O")})
    return data, refs


def _text(value: str) -> bytes:
    """A PDF text string: UTF-16BE with its byte-order mark, in hex (any name or title, as it is)."""
    return b"<" + ("\ufeff" + value).encode("utf-16-be").hex().upper().encode() + b">"


class _Update:
    """An incremental update appended to a PDF, object by object, ended by a cross-reference stream.

    Dictionaries (pages, bookmarks) go into compressed object streams of
    ``PER_STREAM`` each; a stamp is a stream of its own, copied as it is.
    """

    PER_STREAM = 200

    def __init__(self, base: bytes):
        with pikepdf.open(io.BytesIO(base)) as pdf:
            self.size = int(pdf.trailer.Size)
            self.root = pdf.Root.objgen[0]
            self.pages = pdf.Root.Pages.objgen[0]
            self.first_id = bytes(pdf.trailer.ID[0])
        self.previous = int(base[base.rindex(b"startxref") + 9:].split()[0])
        self.parts = [base]  # joined once at the end: a growing buffer would hold up to twice the pack
        self.length = len(base)
        self.rows: dict[int, tuple[int, int, int]] = {}  # object number -> its cross-reference row
        self.pending: list[tuple[int, bytes]] = []
        self.next = self.size

    def _number(self, number: int | None) -> int:
        if number is None:
            number, self.next = self.next, self.next + 1
        return number

    def add(self, body: bytes, number: int | None = None) -> int:
        """A dictionary, into the next object stream (a new number unless ``number`` replaces one)."""
        number = self._number(number)
        self.pending.append((number, body))
        if len(self.pending) == self.PER_STREAM:
            self._flush()
        return number

    def add_stream(self, dictionary: bytes, data: bytes) -> int:
        """A stream object, written at once as it is (``dictionary`` without its /Length)."""
        number = self._number(None)
        self.rows[number] = (1, self.length, 0)
        self._write(b"%d 0 obj\n<< %s /Length %d >>\nstream\n" % (number, dictionary, len(data)))
        self._write(data)  # the stamp's own bytes object, not a copy
        self._write(b"\nendstream\nendobj\n")
        return number

    def _write(self, data: bytes) -> None:
        self.parts.append(data)
        self.length += len(data)

    def _flush(self) -> None:
        if not self.pending:
            return
        offsets, bodies, at = [], [], 0
        for number, body in self.pending:
            offsets.append(b"%d %d" % (number, at))
            bodies.append(body)
            at += len(body) + 1
        header = b" ".join(offsets) + b"\n"
        stream = self.add_stream(b"/Type /ObjStm /N %d /First %d /Filter /FlateDecode" % (len(bodies), len(header)),
                                 zlib.compress(header + b"\n".join(bodies) + b"\n"))
        for index, (number, _) in enumerate(self.pending):
            self.rows[number] = (2, stream, index)
        self.pending = []

    def finish(self, kids: list[int], marks: list[tuple[str, int]], info: PackInfo) -> bytes:
        """The page tree, the bookmarks, the catalogue, the document info; then the cross-references."""
        self.add(b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % kid for kid in kids)
                 + b"] /Count %d >>" % len(kids), self.pages)
        outlines = self._number(None)
        first = self.next
        self.next += len(marks)
        for position, (title, page) in enumerate(marks):
            links = b"".join([b" /Prev %d 0 R" % (first + position - 1) if position else b"",
                              b" /Next %d 0 R" % (first + position + 1) if position < len(marks) - 1 else b""])
            self.add(b"<< /Title %s /Parent %d 0 R%s /Dest [%d 0 R /Fit] >>"
                     % (_text(title), outlines, links, page), first + position)
        self.add(b"<< /Type /Outlines /First %d 0 R /Last %d 0 R /Count %d >>"
                 % (first, first + len(marks) - 1, len(marks)), outlines)
        self.add(b"<< /Type /Catalog /Pages %d 0 R /Outlines %d 0 R /PageMode /UseOutlines /Lang %s >>"
                 % (self.pages, outlines, _text(info.lang)), self.root)
        document = self.add(b"<< /Title %s /Author %s /Creator %s >>"
                            % (_text(info.title), _text(info.author), _text(f"studio-handouts {__version__}")))
        self._flush()
        return self._cross_references(document)

    def _cross_references(self, document: int) -> bytes:
        number = self._number(None)
        self.rows[number] = (1, self.length, 0)
        spans: list[list[int]] = []
        for start in sorted(self.rows):
            if spans and spans[-1][0] + spans[-1][1] == start:
                spans[-1][1] += 1
            else:
                spans.append([start, 1])
        table = zlib.compress(b"".join(struct.pack(">BIH", *self.rows[n]) for n in sorted(self.rows)))
        digest = hashlib.sha256()
        for part in self.parts:
            digest.update(part)
        self._write(b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Index [%s] /Prev %d /Root %d 0 R "
                       b"/Info %d 0 R /ID [<%s> <%s>] /Filter /FlateDecode /Length %d >>\nstream\n"
                       % (number, number + 1, b" ".join(b"%d %d" % tuple(span) for span in spans), self.previous,
                          self.root, document, self.first_id.hex().encode(), digest.hexdigest()[:32].encode(), len(table)))
        self._write(table + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % self.rows[number][1])
        return b"".join(self.parts)
