"""How large and how deep an input may be, checked before it is parsed in full.

Each limit is far above what a real handout, studio or template needs and
far below what would make a build slow or run out of memory; an input over
one is refused with a line that names the limit. The README's Errors section
lists them.
"""

#: Largest content file, studio.yaml, template.yaml or label catalogue (bytes).
MAX_SETTINGS_BYTES = 1_000_000
#: Most values one YAML file may hold, counting each alias (*name) as the values it repeats.
MAX_YAML_NODES = 20_000
#: Deepest nesting of lists and mappings in a YAML file.
MAX_YAML_DEPTH = 20
#: Most items in one list, or fields in one mapping.
MAX_LIST_ITEMS = 500
#: Longest single text (a paragraph, a step, a note) in characters.
MAX_TEXT_CHARS = 10_000
#: Longest field name in a YAML file, in characters.
MAX_KEY_CHARS = 100
#: Longest link (a Markdown link, a reference's url) in characters.
MAX_URL_CHARS = 2_000
#: Longest address printed as a QR code (website, video): longer ones make a code too dense to scan.
MAX_QR_CHARS = 300
#: Longest language tag (BCP 47 tags in use are far shorter).
MAX_LANG_CHARS = 35
#: Largest template source file (handout.rml.j2, macros), in bytes.
MAX_TEMPLATE_BYTES = 1_000_000
#: Most RML a template may write for one handout, in characters.
MAX_RML_CHARS = 20_000_000
#: Largest PNG or JPEG picture file, in bytes.
MAX_IMAGE_BYTES = 30_000_000
#: Most pixels in a PNG or JPEG picture (40 megapixels: 7,300 x 5,500).
MAX_IMAGE_PIXELS = 40_000_000
#: Largest SVG picture file, in bytes.
MAX_SVG_BYTES = 5_000_000
#: Largest width or height an SVG may declare, in points (200 inches: a PDF's largest page).
MAX_SVG_POINTS = 14_400
#: Largest TrueType font file, in bytes.
MAX_FONT_BYTES = 50_000_000
#: Largest file kept in the on-disk cache, in bytes.
MAX_CACHE_BYTES = 50_000_000
#: A roster file (CSV or workbook) in bytes: 5000 clients with long notes take about 2 MB.
MAX_ROSTER_BYTES = 16 * 1024 * 1024
#: Rows of a roster, the header included: a class, or a whole studio's week, is far fewer.
MAX_ROSTER_ROWS = 20_000
#: Cells in one row: booking exports carry 10 to 60 columns.
MAX_ROSTER_COLUMNS = 256
#: Characters in one cell: a note of a page; longer is a pasted document.
MAX_ROSTER_CELL_CHARS = 10_000
#: Cells in a sheet's used area (rows x columns), which a workbook reader allocates in full.
MAX_WORKBOOK_CELLS = 2_000_000
#: Bytes of one part of a workbook once unzipped (a sheet, the shared strings).
MAX_WORKBOOK_PART_BYTES = 64 * 1024 * 1024
#: Shared strings in a workbook: every distinct text of every sheet, each stored once.
MAX_WORKBOOK_SHARED_STRINGS = 200_000
#: Our own record files in an output folder (what each file was made from).
MAX_MANIFEST_BYTES = 32 * 1024 * 1024
