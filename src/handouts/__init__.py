"""studio-handouts: print-ready PDF handouts for movement studios.

The build API lives in :mod:`handouts.build` (``build_handout``); this module
stays import-light so that ``handouts --help`` starts fast.
"""

__version__ = "0.1.0"
