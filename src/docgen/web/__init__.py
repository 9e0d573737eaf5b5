"""`docgen serve`: a local web page to edit a campaign and see its documents as they will print.

Needs the ``web`` extra (``pip install 'docgen[web]'``: Starlette, uvicorn, pypdfium2); nothing else
in docgen imports this package. ``app.py`` is the page and its API, ``worker.py`` the preview and
batch processes, ``safety.py`` what the server refuses. docs/serve.md describes it.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from pathlib import Path

from docgen.i18n import _, os_reason
from docgen.options import Options

DEFAULT_HOST = "127.0.0.1"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def bind(host: str, port: int) -> socket.socket:
    """The listening socket, bound before the server starts: port 0 picks a free port."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host.strip("[]"), port))
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def serve(data: str | Path, *, host: str = DEFAULT_HOST, port: int = 8000, out: str | Path | None = None,
          options: Options | None = None, announce: Callable[[str], None] = print) -> None:
    """Serve the campaign until Ctrl-C; ``options``: how its documents are made (the --templates folders,
    --font-dir). ``announce`` gets the address once the socket listens."""
    import uvicorn

    from docgen.web.app import create_app

    app = create_app(data, out, options=options, loopback_only=is_loopback(host))
    try:
        sock = bind(host, port)
    except OSError as exc:
        from docgen.errors import DocgenError

        raise DocgenError(_("cannot listen on {host}:{port}: {value}").format(
            host=host, port=port, value=os_reason(exc))) from None
    shown = f"[{host}]" if ":" in host else host
    announce(f"http://{shown}:{sock.getsockname()[1]}/")
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on",
                            timeout_graceful_shutdown=3)
    uvicorn.Server(config).run(sockets=[sock])
