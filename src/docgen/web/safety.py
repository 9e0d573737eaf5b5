"""What `docgen serve` refuses: paths out of its two folders, big bodies, other sites' requests.

- ``served_file(root, name)``: a file named by a request is under ``root`` after every symlink is
  followed; ``..``, absolute paths, backslashes, NUL, hidden names (``.git``, ``.x.part``) and
  percent-encoded dots, slashes or percent signs are refused before the file system is asked.
- ``Guard`` (ASGI middleware): a body over ``max_body`` bytes is 413, whatever Content-Length said;
  when bound to loopback, a Host that is not a loopback name is 403 (a DNS-rebinding page); a POST
  must be JSON from this origin (no form from another site can save the campaign); every response
  carries a Content-Security-Policy that allows no inline script.
"""

from __future__ import annotations

import re
from pathlib import Path

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from docgen.i18n import _

MAX_BODY = 4 * 1024 * 1024  # an editor's campaign file; the loader's own limit is 20 MiB
LOOPBACK_NAMES = {"127.0.0.1", "localhost", "[::1]", "::1"}
_ENCODED = re.compile(r"%(2e|2f|5c|00|25)", re.IGNORECASE)

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
       "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-resource-policy", b"same-origin"),
]


class Refused(Exception):
    """A request for a path outside the served folders (403) or a missing file (404)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def served_file(root: Path, name: str) -> Path:
    """The existing regular file ``name`` (a relative, /-separated path) under ``root``, or Refused."""
    if not name or "\\" in name or "\x00" in name or name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        raise Refused(403, _("not a path inside the served folder"))
    parts = name.split("/")
    if any(part in ("", ".", "..") or part.startswith(".") or _ENCODED.search(part) for part in parts):
        raise Refused(403, _("not a path inside the served folder"))
    base = root.resolve()
    target = (base / name).resolve()
    if not target.is_relative_to(base):  # a symlink that leads out
        raise Refused(403, _("not a path inside the served folder"))
    if not target.is_file():
        raise Refused(404, _("no such file"))
    return target


def raw_path_refused(scope: Scope) -> bool:
    """Percent-encoded dots, slashes, backslashes, NUL or percent signs in the request's path."""
    raw = scope.get("raw_path") or b""
    return bool(_ENCODED.search(raw.decode("latin-1")))


class Guard:
    def __init__(self, app: ASGIApp, *, max_body: int = MAX_BODY, loopback_only: bool = True) -> None:
        self.app = app
        self.max_body = max_body
        self.loopback_only = loopback_only

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}

        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message = {**message, "headers": [*message.get("headers", []), *HEADERS]}
            await send(message)

        host = headers.get("host", "")
        hostname = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        if self.loopback_only and hostname not in LOOPBACK_NAMES:
            await _plain(send_with_headers, 403, _("this server answers only to localhost / 127.0.0.1"))
            return
        if raw_path_refused(scope):
            await _plain(send_with_headers, 403, _("encoded dots, slashes or percent signs are not served"))
            return
        if scope["method"] not in ("GET", "HEAD"):
            origin = headers.get("origin")
            if origin is not None and origin != f"http://{host}":
                await _plain(send_with_headers, 403, _("requests from another site are refused"))
                return
            if headers.get("content-type", "").split(";")[0].strip() != "application/json":
                await _plain(send_with_headers, 415, _("send JSON (Content-Type: application/json)"))
                return
        declared = headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_body):
            await _plain(send_with_headers, 413,
                         _("request body over {max_body} KiB").format(max_body=self.max_body // 1024))
            return

        seen = 0

        async def bounded_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    raise BodyTooLarge(_("request body over {max_body} KiB").format(max_body=self.max_body // 1024))
            return message

        try:
            await self.app(scope, bounded_receive, send_with_headers)
        except BodyTooLarge as exc:  # the app has a handler for it; this is for a body read elsewhere
            if not started:
                await _plain(send_with_headers, 413, str(exc))


class BodyTooLarge(Exception):
    """A body that grew past the limit while it was read (no or a false Content-Length)."""


async def _plain(send: Send, status: int, text: str) -> None:
    body = (text + "\n").encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
