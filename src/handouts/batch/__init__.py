"""The batch side: a class roster read, one handout per client stamped, and the class pack.

The batch API lives in ``run`` and is importable from here too
(``from handouts.batch import build_batch``), loaded when first asked for,
so that reading a roster (``handouts roster``) does not import the renderer.
"""

_API = frozenset({"build_batch", "BatchReport", "PACK_NAME", "unique_name"})


def __getattr__(name: str):
    if name in _API:
        from handouts.batch import run

        return getattr(run, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
