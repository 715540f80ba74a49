"""TrueType fonts: parsed once per process, registered for every document.

z3c.rml resets ReportLab's globals (and so its font registry) at the start
of every document, and ``<registerTTFont>`` would re-read the TTF each time.
Instead each file is parsed once here and the parsed fonts are registered
again from ReportLab's own reset hook, which makes a warm render cheap.

The default family is Atkinson Hyperlegible (drawn for low-vision readers);
Noto Sans, with far wider coverage, draws what the body font cannot.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from reportlab import rl_config
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from handouts import cache
from handouts.errors import ContentError

#: The names templates use in RML (``fontName="Body-Bold"``).
BODY = "Body"
STYLES = {"regular": BODY, "bold": f"{BODY}-Bold", "italic": f"{BODY}-Italic", "bold_italic": f"{BODY}-BoldItalic"}
FALLBACK = "Fallback"


@dataclass(frozen=True)
class FontSet:
    """The four faces of the body family, plus a wide-coverage fallback."""

    regular: Path
    bold: Path
    italic: Path
    bold_italic: Path
    fallback: Path

    def files(self) -> dict[str, Path]:
        faces = {name: getattr(self, style) for style, name in STYLES.items()}
        return {**faces, FALLBACK: self.fallback}


def default_fonts() -> FontSet:
    """The bundled family, from its installed font package."""
    import fontpkg_atkinson_hyperlegible as atkinson
    import fontpkg_noto_sans as noto

    body = Path(atkinson.__file__).parent / "files"
    wide = Path(noto.__file__).parent / "files"
    return FontSet(
        regular=body / "AtkinsonHyperlegible-Regular.ttf",
        bold=body / "AtkinsonHyperlegible-Bold.ttf",
        italic=body / "AtkinsonHyperlegible-Italic.ttf",
        bold_italic=body / "AtkinsonHyperlegible-BoldItalic.ttf",
        fallback=wide / "NotoSans[wdth,wght].ttf",
    )


@lru_cache(maxsize=32)
def _parse(name: str, file: Path) -> TTFont:
    try:
        return TTFont(name, str(file))
    except (TTFError, OSError) as exc:
        raise ContentError(
            f"cannot use font file: {exc}",
            file=file,
            hint="fonts must be TrueType (.ttf) files",
        ) from None


_active: FontSet | None = None
_fallback_used = False
_vera: list[TTFont] = []


def _register_active() -> None:
    if _active is None:
        return
    for name, file in _active.files().items():
        if name != FALLBACK or _fallback_used:
            pdfmetrics.registerFont(_parse(name, file))
    if _fallback_used:  # <b> and <i> around fallback text keep the one fallback face
        for bold, italic in ((0, 0), (1, 0), (0, 1), (1, 1)):
            addMapping(FALLBACK, bold, italic, FALLBACK)
    addMapping(BODY, 0, 0, STYLES["regular"])
    addMapping(BODY, 1, 0, STYLES["bold"])
    addMapping(BODY, 0, 1, STYLES["italic"])
    addMapping(BODY, 1, 1, STYLES["bold_italic"])
    pdfmetrics.registerFontFamily(
        BODY,
        normal=STYLES["regular"],
        bold=STYLES["bold"],
        italic=STYLES["italic"],
        boldItalic=STYLES["bold_italic"],
    )


def _reset_fonts() -> None:
    """ReportLab's and z3c.rml's font resets, with each TTF parsed once per process.

    Before every document both re-read the four Vera TTF files (and z3c.rml
    restores ReportLab's font family map); this does the same from parsed
    fonts, then registers the handout's family on top.
    """
    import copy

    from reportlab.lib import fonts as family_map
    from z3c.rml import rlfix

    for font in _vera:
        pdfmetrics.registerFont(font)
    family_map._ps2tt_map = copy.deepcopy(rlfix._ps2tt_map_original)
    family_map._tt2ps_map = copy.deepcopy(rlfix._tt2ps_map_original)
    _register_active()


def _install_reset() -> None:
    from reportlab.graphics import testshapes
    from z3c.rml import rlfix

    replaced = (rlfix.resetFonts, testshapes.resetFonts)
    # Importing testshapes registered (and parsed) the Vera family already.
    _vera[:] = [pdfmetrics.getFont(name) for name in ("Vera", "VeraBd", "VeraIt", "VeraBI")]
    resets = rl_config._registered_resets
    resets[:] = [ref for ref in resets if ref() not in replaced]
    rl_config.register_reset(_reset_fonts)


def use(fonts: FontSet) -> None:
    """Make ``fonts`` the family every following document is set in."""
    global _active
    if _active is None:
        _install_reset()
    _active = fonts
    _register_active()


def use_fallback() -> None:
    """Register the fallback font from now on (parsing it costs ~25 ms; most handouts never need it)."""
    global _fallback_used
    if not _fallback_used:
        _fallback_used = True
        _register_active()


def text_width(text: str, size: float, bold: bool = False) -> float:
    """How wide ``text`` prints in the body family at ``size`` points."""
    return pdfmetrics.stringWidth(text, STYLES["bold" if bold else "regular"], size)


@lru_cache(maxsize=32)
def coverage(file: Path) -> frozenset[int]:
    """The code points a font file can draw (kept in the on-disk cache: parsing a wide font costs ~15 ms)."""
    try:
        stat = file.stat()
    except OSError:
        return frozenset(_parse(f"cov:{file}", file).face.charToGlyph)
    key = cache.key("coverage", str(file.resolve()), str(stat.st_size), str(stat.st_mtime_ns))
    known = cache.load("coverage", key)
    if isinstance(known, list):
        return frozenset(known)
    points = frozenset(_parse(f"cov:{file}", file).face.charToGlyph)
    cache.store("coverage", key, sorted(points))
    return points
