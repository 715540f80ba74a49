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
from reportlab.pdfbase.ttfonts import TTFont

from handouts import cache, limits
from handouts.errors import ContentError, Problem
from handouts.project import read_regular, unusable
from handouts.terminal import shown

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


#: What a font file's first four bytes say it is, when it is not a TrueType font we can embed.
_NOT_TRUETYPE = {
    b"OTTO": ("is an OpenType font with PostScript (CFF) outlines, not a TrueType font",
              "use the font's TrueType (.ttf) version"),
    b"ttcf": ("is a TrueType collection (.ttc), not a single TrueType font", "use one face of it as a .ttf file"),
    b"wOFF": ("is a web font (WOFF), not a TrueType font", "use the font's TrueType (.ttf) version"),
    b"wOF2": ("is a web font (WOFF2), not a TrueType font", "use the font's TrueType (.ttf) version"),
}
_TRUETYPE = (b"\x00\x01\x00\x00", b"true")


def truetype_problem(file: Path) -> tuple[str, str] | None:
    """Why ``file`` is not a TrueType font ReportLab can embed, or None (it is read and parsed once)."""
    try:
        head = read_regular(file, limits.MAX_FONT_BYTES, "the font file")[:4]
    except ContentError as error:
        return error.problems[0].message, error.problems[0].hint or "name a TrueType (.ttf) file"
    if head not in _TRUETYPE:
        return _NOT_TRUETYPE.get(head, ("is not a TrueType font", "name a TrueType (.ttf) font file"))
    return None


@lru_cache(maxsize=32)
def _parse(name: str, file: Path) -> TTFont:
    problem = truetype_problem(file)
    if problem is None:
        try:
            return TTFont(name, str(file))
        except Exception:  # a cut or damaged file fails anywhere in ReportLab's parser (struct, index, TTFError)
            problem = ("the TrueType font is damaged or cut short", "copy the font file again, or use another")
    raise ContentError(problem[0], file=file, hint=problem[1])


def studio_font_set(studio, studio_file: Path) -> FontSet:
    """The studio's own TrueType files where given, the bundled family otherwise.

    Each file must be a TrueType font inside the studio folder; a problem is
    an error at its line in studio.yaml, naming the path the studio wrote.
    """
    from handouts.content.load import outside
    from handouts.content.yamlload import load_yaml

    bundled, chosen, problems = default_fonts(), {}, []
    for style, face in STYLES.items():
        name = getattr(studio.fonts, style)
        chosen[style] = studio_file.parent / name if name else getattr(bundled, style)
        if not name:
            continue
        why = ("leads outside the studio folder", "keep the font in the studio folder, e.g. fonts/MyFont.ttf") \
            if outside(name) else None
        if why is None and (reason := unusable(chosen[style], studio_file.parent)):
            why = (f"font file {reason}" if reason == "not found" else reason, "the path is relative to studio.yaml")
        if why is None:
            try:
                _parse(face, chosen[style])
            except ContentError as error:
                why = (error.problems[0].message, error.problems[0].hint)
        if why:
            line, column = load_yaml(studio_file).locate(("fonts", style))
            problems.append(Problem(f"{shown(name, 80)}: {why[0]}", studio_file, line, column,
                                    f"fonts.{style}", why[1]))
    if problems:
        raise ContentError.collected(problems)
    return FontSet(**chosen, fallback=bundled.fallback)


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
    if isinstance(known, list) and all(isinstance(point, int) for point in known):
        return frozenset(known)
    points = frozenset(_parse(f"cov:{file}", file).face.charToGlyph)
    cache.store("coverage", key, sorted(points))
    return points
