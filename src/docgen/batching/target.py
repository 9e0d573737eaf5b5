"""Where a batch writes: a folder (local, or shared by every cluster worker) or an fsspec URL.

One small interface so the batch engine, its workers and the manifest say "write this name" and
"read that name back" without knowing which: ``Folder`` writes through ``output.write_atomic``
(a hidden temporary file, fsync, rename), ``Store`` through fsspec as one whole-object put — the
object store's equivalent of a rename: a reader sees the old object or the new one, never part.
``file://`` URLs are folders (the same rename); fsspec is imported only for other URLs.

A name is a file name, never a path: ``Folder`` refuses one that would leave the folder
(``output.inside``), ``Store`` one with a separator or ``..`` — the names are made safe and
checked for collisions before (``plan.make_jobs``); this is the last guard.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol
from urllib.parse import unquote, urlparse

from docgen.errors import DocgenError
from docgen.files import output
from docgen.i18n import _


class Target(Protocol):
    """What the batch engine needs of an output location."""

    @property
    def shown(self) -> str: ...  # how messages name it

    @property
    def folder(self) -> Path | None: ...  # a local folder (zip, merge, Word templates need one), else None

    @property
    def shared(self) -> bool: ...  # other processes see what this one writes

    def prepare(self) -> None: ...

    def sweep_partials(self) -> None: ...

    def read(self, name: str) -> bytes | None: ...

    def write(self, name: str, data: bytes) -> str: ...


class Folder:
    """A folder on a file system: local, or mounted at the same path on every worker (NFS, Lustre, CephFS)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def __repr__(self) -> str:
        return f"Folder({str(self.path)!r})"

    @property
    def shown(self) -> str:
        return str(self.path)

    @property
    def folder(self) -> Path:
        return self.path

    @property
    def shared(self) -> bool:
        return True

    def prepare(self) -> None:
        output.prepare_folder(self.path)

    def sweep_partials(self) -> None:
        """Whatever a killed run (or a killed worker) left half-written: only whole files stay."""
        for leftover in self.path.glob(".*.part"):
            leftover.unlink(missing_ok=True)

    def read(self, name: str) -> bytes | None:
        path = self.path / name
        return path.read_bytes() if path.is_file() else None

    def write(self, name: str, data: bytes) -> str:
        path = output.inside(self.path, name)
        output.write_atomic(path, data)
        return path.name


class Store:
    """An fsspec location (``s3://bucket/run``, ``gs://…``, ``memory://…``): each file one whole put."""

    def __init__(self, url: str) -> None:
        self.url = url.rstrip("/")
        self._fs: Any = None
        self._root = ""

    def __repr__(self) -> str:
        return f"Store({self.url!r})"

    def __getstate__(self) -> dict:  # sent to workers as its URL; each process opens its own file system
        return {"url": self.url}

    def __setstate__(self, state: dict) -> None:
        self.__init__(state["url"])

    @property
    def fs(self) -> Any:  # an fsspec AbstractFileSystem
        if self._fs is None:
            try:
                import fsspec
            except ImportError:
                raise DocgenError(_("-o {url}: writing to a URL needs fsspec: pip install 'docgen[cluster]'").format(
                    url=self.url)) from None
            try:
                self._fs, self._root = fsspec.core.url_to_fs(self.url)
            except (ImportError, ValueError) as exc:
                raise DocgenError(_("-o {url}: {reason}").format(url=self.url, reason=exc)) from None
        return self._fs

    @property
    def shown(self) -> str:
        return self.url

    @property
    def folder(self) -> None:
        return None

    @property
    def shared(self) -> bool:
        return "memory" not in _protocols(self.fs)  # memory:// is one process's dictionary

    def _path(self, name: str) -> str:
        if not name or "/" in name or "\\" in name or name in (".", ".."):
            raise DocgenError(_("output name {name!r} would leave the output location").format(name=name), self.url)
        self.fs  # noqa: B018 - opens the file system, sets the root
        return f"{self._root}/{name}"

    def prepare(self) -> None:
        try:
            self.fs.makedirs(self._root, exist_ok=True)
        except OSError as exc:
            raise DocgenError(_("cannot create the output location: {reason}").format(reason=exc), self.url) from None

    def sweep_partials(self) -> None:
        """Nothing to sweep: a put leaves the whole object or none."""

    def read(self, name: str) -> bytes | None:
        try:
            return self.fs.cat_file(self._path(name))
        except (FileNotFoundError, IsADirectoryError):
            return None

    def write(self, name: str, data: bytes) -> str:
        try:
            self.fs.pipe_file(self._path(name), data)
        except OSError as exc:
            raise DocgenError(_("cannot write: {reason}").format(reason=exc), f"{self.url}/{name}") from None
        return name


def _protocols(fs: Any) -> tuple[str, ...]:
    protocol = fs.protocol
    return (protocol,) if isinstance(protocol, str) else tuple(protocol)


def open_target(out: str | Path) -> Folder | Store:
    """``out`` as a Target: a path or a file:// URL is a folder, any other URL an fsspec store."""
    text = str(out)
    if "://" not in text:
        return Folder(out)
    parsed = urlparse(text)
    if parsed.scheme == "file":
        if parsed.netloc not in ("", "localhost"):
            raise DocgenError(_("-o {url}: a file:// URL names a local path (file:///path/to/folder)").format(url=text))
        return Folder(unquote(parsed.path))
    return Store(text)
