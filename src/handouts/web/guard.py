"""What keeps the page the studio's own: every request passes here first.

- **Host header**: a request must name this server as it is reached (a
  loopback name, an IP address, or this computer's own name when it listens
  beyond itself). A web page elsewhere that points a name of its own at
  127.0.0.1 (DNS rebinding) is refused, since its requests carry that name.
- **Token**: listening beyond this computer (``--host 0.0.0.0``), every
  request needs the token printed at start, once, in the address
  (``?token=``) or the sign-in form; a cookie keeps it.
- **CSRF**: every request that changes something carries a token tied to
  the browser's session cookie, in the form or the ``X-CSRF-Token`` header
  (see :func:`checked_form`), and a request from another site's page
  (``Origin``, ``Sec-Fetch-Site``) is refused.
- **Size**: a request body over the limit is refused before it is read.
- **Bugs**: a bug is one line in the log (its kind and our line, never
  the values it held: a roster's names) and a page saying so.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import logging
import secrets
import socket
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import parse_qs, urlencode, urlsplit

from starlette.datastructures import FormData, MutableHeaders
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse

from handouts.errors import bug_line
from handouts.limits import MAX_ROSTER_BYTES
from handouts.web.pages import problem_page

SESSION_COOKIE = "handouts_session"
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"
#: The largest request body: the largest roster the tool reads, and room for the form around it.
MAX_BODY = MAX_ROSTER_BYTES + 64 * 1024
#: Form fields (not files) are short: a name, a note, a class.
MAX_FIELD = 64 * 1024
LOOPBACK_NAMES = {"localhost", "localhost.localdomain"}
#: Paths open without the token: the sign-in form and what it is drawn with.
OPEN_PATHS = ("/login", "/static/")
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cache-control": "no-store",  # pages and files hold clients' names
}
#: Pages run only their own script and show only their own pictures (and the preview's, as data).
CSP = ("default-src 'self'; img-src 'self' data: blob:; script-src 'self'; style-src 'self'; "
       "frame-ancestors 'none'; form-action 'self'; base-uri 'none'")

log = logging.getLogger("handouts.serve")


class Refused(Exception):
    """A request this server will not serve: its status, and what to say, in plain words."""

    def __init__(self, status: int, message: str, hint: str | None = None):
        super().__init__(message)
        self.status, self.message, self.hint = status, message, hint


def is_loopback(host: str) -> bool:
    """Whether ``host`` (a bind address) is this computer only."""
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def machine_names() -> set[str]:
    """The names other computers may reach this one by (its host name, with and without its domain)."""
    names = {socket.gethostname(), socket.getfqdn()}
    names |= {f"{name.split('.')[0]}.local" for name in list(names)}
    return {name.lower() for name in names if name}


@dataclass
class Settings:
    """How the server was started: where it listens and what it asks of a request."""

    host: str = "127.0.0.1"
    port: int = 8765
    token: str | None = None  # asked of every request when listening beyond this computer
    verbose: bool = False
    secret: bytes = field(default_factory=lambda: secrets.token_bytes(32))
    names: set[str] = field(default_factory=set)  # this computer's names, when listening beyond it

    @classmethod
    def for_host(cls, host: str, port: int, verbose: bool = False) -> "Settings":
        """Loopback needs no token; any other address gets a new one, and this computer's names."""
        if is_loopback(host):
            return cls(host, port, verbose=verbose)
        names = machine_names() | ({host.lower()} if not _ip(host) else set())
        return cls(host, port, secrets.token_urlsafe(18), verbose, names=names)

    def allows_host(self, header: str) -> bool:
        """Whether a request's Host header names this server (any port: the socket decides that)."""
        try:
            name = urlsplit(f"//{header}").hostname or ""
        except ValueError:  # '[::1' and the like
            return False
        address = _ip(name)
        if address is not None:
            return address.is_loopback or self.token is not None
        return name in LOOPBACK_NAMES or name.endswith(".localhost") or name in self.names

    def sign(self, purpose: str, value: str) -> str:
        return hmac.new(self.secret, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()[:40]

    @property
    def auth_cookie(self) -> str:
        return f"handouts_auth_{self.port}"


def same(given: str, expected: str) -> bool:
    """Whether two secrets are equal, in a time that does not tell how much of them matched (any text)."""
    return hmac.compare_digest(given.encode("utf-8", "replace"), expected.encode("utf-8"))


def _ip(name: str):
    try:
        return ipaddress.ip_address(name.strip("[]"))
    except ValueError:
        return None


class Guard:
    """ASGI middleware: Host, token, body size, session cookie, headers and bugs, for every request."""

    def __init__(self, app, settings: Settings):
        self.app, self.settings = app, settings

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        request = Request(scope)
        started = False
        session, new_session = _session(request)
        scope.setdefault("state", {})["session"] = session
        scope["state"]["csrf"] = self.settings.sign("csrf", session)

        async def send_with_headers(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    headers.setdefault(name, value)
                if headers.get("content-type", "").startswith("text/html"):
                    headers["content-security-policy"] = CSP
                if new_session:
                    headers.append("set-cookie", cookie(SESSION_COOKIE, session))
            await send(message)

        try:
            self._admit(request)
            if (answer := self._sign_in(request)) is not None:
                return await answer(scope, receive, send_with_headers)
            await self.app(scope, _limited(receive, request), send_with_headers)
        except Refused as refused:
            if started:
                return
            await problem_page(refused.status, refused.message, refused.hint)(scope, receive, send_with_headers)
        except Exception as error:  # a bug: one line, never its values
            log.error(bug_line(error))
            if not started:
                await problem_page(500, bug_line(error), "the studio's computer logged where; "
                                   "try again, or use the command line")(scope, receive, send_with_headers)

    def _admit(self, request: Request) -> None:
        host = request.headers.get("host", "")
        if not self.settings.allows_host(host):
            raise Refused(400, f"this page is not served under the name '{host[:100]}'",
                          f"open it as http://127.0.0.1:{self.settings.port}/ on the studio's computer")
        length = request.headers.get("content-length", "")
        if length.isdigit() and int(length) > MAX_BODY:
            raise too_large(int(length))

    def _sign_in(self, request: Request):
        """None when the request may go on; else the answer (a sign-in page, or a redirect keeping the token)."""
        settings = self.settings
        if settings.token is None:
            return None
        given = request.query_params.get("token")
        if given is not None and same(given, settings.token):
            query = urlencode([(k, v) for k, v in parse_qs(request.url.query).items() if k != "token"], doseq=True)
            answer = RedirectResponse(request.url.path + (f"?{query}" if query else ""), status_code=303)
            answer.headers.append("set-cookie", cookie(settings.auth_cookie, settings.sign("auth", settings.token)))
            return answer
        kept = request.cookies.get(settings.auth_cookie, "")
        if same(kept, settings.sign("auth", settings.token)):
            return None
        if request.url.path.startswith(OPEN_PATHS):
            return None
        if request.method in SAFE_METHODS:
            return RedirectResponse("/login", status_code=303)
        raise Refused(401, "this page asks for the token printed when `handouts serve` started",
                      "open the address it printed, or type the token on the sign-in page")


def _session(request: Request) -> tuple[str, bool]:
    """The browser's session id, from its cookie, or a new one (and whether it is new)."""
    value = request.cookies.get(SESSION_COOKIE, "")
    if 16 <= len(value) <= 64 and value.replace("-", "").replace("_", "").isalnum():
        return value, False
    return secrets.token_urlsafe(18), True


def cookie(name: str, value: str) -> str:
    cookie = SimpleCookie()
    cookie[name] = value
    cookie[name].update({"path": "/", "httponly": True, "samesite": "Strict"})
    return cookie.output(header="").strip()


def too_large(size: int | None) -> Refused:
    """The answer to an upload over the limit, in the words the roster reader uses for a file too large."""
    what = f"is {size / 1024 / 1024:.1f} MB" if size else "is larger than that"
    return Refused(413, f"the upload {what}; the page takes a roster of at most {MAX_ROSTER_BYTES // 1024 // 1024} "
                        "MB, as the command line does", "export only the class's bookings")


def _limited(receive, request: Request):
    """``receive``, refusing a body that grows past MAX_BODY while it is read (no Content-Length to trust)."""
    total = 0

    async def counted():
        nonlocal total
        message = await receive()
        total += len(message.get("body", b""))
        if total > MAX_BODY:
            raise too_large(None)
        return message

    return counted


async def checked_form(request: Request, *, files: int = 0) -> FormData:
    """The form of a request that changes something, once its CSRF token and origin are checked.

    Every such route reads its form through here (``app.action`` sees to it).
    """
    site = request.headers.get("sec-fetch-site", "")
    origin = request.headers.get("origin")
    if site == "cross-site" or (origin and origin != "null"
                                and urlsplit(origin).netloc.lower() != request.headers.get("host", "").lower()):
        raise Refused(403, "a page of another site asked this page to do something; it was refused",
                      "use the page itself, at the address `handouts serve` printed")
    try:
        form = await request.form(max_files=files, max_fields=50, max_part_size=MAX_FIELD)
    except HTTPException:
        raise Refused(400, "the form could not be read (a field too long, or too many)",
                      "reload the page and try again") from None
    expected = request.scope["state"]["csrf"]
    given = str(form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER) or "")
    if not same(given, expected):
        raise Refused(403, "the form has no valid security token, so nothing was done",
                      "reload the page (it gives the form a new token) and try again")
    return form
