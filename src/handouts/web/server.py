"""Listening: the socket first (so a port in use is one line, before anything is printed), then uvicorn."""

from __future__ import annotations

import errno
import logging
import socket
import sys
from dataclasses import dataclass

from handouts.errors import HandoutError
from handouts.project import Project
from handouts.web.guard import Settings

DEFAULT_PORT = 8765
WILDCARDS = {"0.0.0.0", "::", ""}


class ServeError(HandoutError):
    """The page cannot be served at the address asked for."""


@dataclass
class Listening:
    """A bound socket and the page that will answer on it."""

    sock: socket.socket
    settings: Settings
    app: object

    @property
    def url(self) -> str:
        """Where to open the page: with its token, when it asks for one."""
        host = self.settings.host
        if host in WILDCARDS:
            host = socket.gethostname()
        host = f"[{host}]" if ":" in host else host
        token = f"?token={self.settings.token}" if self.settings.token else ""
        return f"http://{host}:{self.settings.port}/{token}"

    def server(self):
        """The uvicorn server that will answer on the socket (``run`` runs it)."""
        import uvicorn

        _logging(self.settings.verbose)
        config = uvicorn.Config(self.app, lifespan="on", log_config=None, access_log=self.settings.verbose,
                                log_level="info" if self.settings.verbose else "warning", server_header=False)
        return uvicorn.Server(config)

    def run(self) -> None:
        """Serve until Ctrl-C (or SIGTERM); what is being built is finished first."""
        try:
            self.server().run(sockets=[self.sock])
        except KeyboardInterrupt:
            pass  # Ctrl-C is how the page is stopped; every file was written atomically
        finally:
            self.sock.close()


def listen(project: Project, host: str, port: int, *, verbose: bool = False) -> Listening:
    """The page for ``project``, bound to ``host``:``port`` (0: a free port), not yet serving."""
    from handouts.web.app import create_app

    settings = Settings.for_host(host, port, verbose)
    app = create_app(project, settings)
    sock = bind(host, port)
    settings.port = sock.getsockname()[1]
    return Listening(sock, settings, app)


def bind(host: str, port: int) -> socket.socket:
    """A listening socket at ``host``:``port``, or one line saying why not."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM,
                                                             flags=socket.AI_PASSIVE)[0]
    except (socket.gaierror, UnicodeError):
        raise ServeError(f"'{host[:100]}' is not an address of this computer", field="--host",
                         hint="use 127.0.0.1 (this computer only) or 0.0.0.0 (every network it is on)") from None
    sock = socket.socket(family, kind, proto)
    try:
        if sys.platform != "win32":
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError as error:
        sock.close()
        raise _bind_error(error, host, port) from None
    return sock


def _bind_error(error: OSError, host: str, port: int) -> ServeError:
    if error.errno == errno.EADDRINUSE:
        return ServeError(f"port {port} is in use on {host} (is the page served already?)", field="--port",
                          hint="stop the other server, or pass another port, e.g. --port 8766")
    if error.errno in (errno.EACCES, errno.EPERM):
        return ServeError(f"this user may not listen on port {port}", field="--port",
                          hint="use a port above 1023, such as 8765")
    if error.errno == errno.EADDRNOTAVAIL:
        return ServeError(f"'{host[:100]}' is not an address of this computer", field="--host",
                          hint="use 127.0.0.1 (this computer only) or 0.0.0.0 (every network it is on)")
    return ServeError(f"cannot listen on {host}:{port}: {error.strerror}", field="--host",
                      hint="use 127.0.0.1 and another --port")


def _logging(verbose: bool) -> None:
    """One line per message on stderr; uvicorn's and ours. Without --verbose, only warnings and errors."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    for name in ("handouts.serve", "uvicorn"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(logging.INFO if verbose else logging.WARNING)
