"""What the front desk's server keeps while it runs.

One render thread for every call of the build API (ReportLab keeps global
state: two renders at once would draw into each other); the newest preview
each open page asked for, so a render is never spent on input that has
since changed; the files this server built, known by a random id (a
download names an id, never a path); the rosters dropped on the page, kept
in memory until built; and the classes being built, with their progress.
"""

from __future__ import annotations

import asyncio
import functools
import itertools
import os
import secrets
import tempfile
import threading
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

#: How many of each kind of thing the server remembers; the oldest is forgotten first.
KEPT_FILES = 10_000
KEPT_UPLOADS = 8
KEPT_BATCHES = 50
KEPT_VIEWS = 256


def new_id() -> str:
    """An id nobody can guess (128 bits), safe in a URL."""
    return secrets.token_urlsafe(16)


class Recent(OrderedDict):
    """A mapping that keeps its newest ``size`` entries."""

    def __init__(self, size: int):
        super().__init__()
        self.size = size

    def __setitem__(self, key, value):
        super().__setitem__(key, value)
        self.move_to_end(key)
        while len(self) > self.size:
            self.popitem(last=False)


class Renderer:
    """The one thread every build, preview, picture, check and class is made on, in the order asked."""

    def __init__(self):
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="handouts-render")

    async def run(self, function, /, *args, **kwargs):
        """``function(*args, **kwargs)`` on the render thread, awaited."""
        return await asyncio.wrap_future(self.submit(function, *args, **kwargs))

    def submit(self, function, /, *args, **kwargs) -> Future:
        """``function(*args, **kwargs)`` on the render thread, not awaited (a class that takes a while)."""
        return self._pool.submit(functools.partial(function, *args, **kwargs))

    def close(self) -> None:
        """Finish what was asked (a class being built is finished, never cut in half), then stop."""
        self._pool.shutdown(wait=True)


class Latest:
    """The newest preview each open page asked for: an older one still waiting is dropped, never rendered."""

    def __init__(self):
        self._tickets: Recent = Recent(KEPT_VIEWS)
        self._count = itertools.count(1)
        self._lock = threading.Lock()

    def take(self, view: str) -> int:
        """A ticket for the preview ``view`` asks for now; it makes every earlier ticket of ``view`` stale."""
        with self._lock:
            ticket = next(self._count)
            self._tickets[view] = ticket
            return ticket

    def current(self, view: str, ticket: int) -> bool:
        """Whether ``ticket`` is still the newest ``view`` asked for."""
        with self._lock:
            return self._tickets.get(view) == ticket


class Registry:
    """Things the page names by id (a roster dropped, a class being built): the newest ``size`` are kept."""

    def __init__(self, size: int):
        self._items: Recent = Recent(size)
        self._lock = threading.Lock()

    def add(self, item) -> str:
        item_id = new_id()
        with self._lock:
            self._items[item_id] = item
        return item_id

    def get(self, item_id: str):
        with self._lock:
            return self._items.get(item_id)


@dataclass(frozen=True)
class Served:
    """A file this server built, as it was when built."""

    path: Path
    size: int
    mtime_ns: int
    media_type: str


MEDIA_TYPES = {".pdf": "application/pdf", ".csv": "text/csv; charset=utf-8"}


class Files(Registry):
    """The files this server built, by id. A file changed or removed since is no longer served."""

    def __init__(self):
        super().__init__(KEPT_FILES)

    def add(self, path: Path) -> str:
        info = path.stat()
        return super().add(Served(path, info.st_size, info.st_mtime_ns,
                                  MEDIA_TYPES.get(path.suffix.lower(), "application/octet-stream")))

    def get(self, file_id: str) -> Served | None:
        """The file of ``file_id``, if this server built it and it is still as built."""
        served = super().get(file_id)
        if served is None:
            return None
        try:
            info = os.stat(served.path, follow_symlinks=False)
        except OSError:
            return None
        return served if (info.st_size, info.st_mtime_ns) == (served.size, served.mtime_ns) else None


@dataclass(frozen=True)
class Upload:
    """A roster dropped on the page: its file name and bytes, held in memory only."""

    name: str
    data: bytes


@contextmanager
def roster_file(upload: Upload):
    """The upload as a file of its own name in a temporary folder (never the studio's), removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="handouts-serve-") as folder:
        path = Path(folder) / upload.name
        path.write_bytes(upload.data)
        yield path


@dataclass
class Batch:
    """A class being built: its progress, then what the batch API answered."""

    upload: Upload
    done: int = 0
    total: int = 0
    finished: bool = False
    report: object | None = None  # batch.BatchReport
    problems: list = field(default_factory=list)  # why it could not be built at all
    pack_id: str | None = None
    clients_id: str | None = None

    def progress(self, done: int, total: int) -> None:
        """The batch API's progress callback."""
        self.done, self.total = done, total


@dataclass
class Desk:
    """Everything the server keeps, in one place for the views."""

    renderer: Renderer = field(default_factory=Renderer)
    latest: Latest = field(default_factory=Latest)
    files: Files = field(default_factory=Files)
    uploads: Registry = field(default_factory=lambda: Registry(KEPT_UPLOADS))  # Upload
    batches: Registry = field(default_factory=lambda: Registry(KEPT_BATCHES))  # Batch
    pictures: Recent = field(default_factory=lambda: Recent(64))  # layout pictures, by what they show
