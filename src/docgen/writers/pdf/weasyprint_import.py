"""Importing WeasyPrint without re-parsing its C declarations or running subprocesses to find libraries.

A cold `docgen render --format pdf` spent ~0.3–0.4 s in one module, ``weasyprint.text.ffi``: it hands
cffi ~16 KB of C declarations (Pango, HarfBuzz, fontconfig, GLib) that cffi parses with pycparser on
every start, then ``dlopen``s each library by trying several names, and every name that is not a file
(``libgobject-2.0-0`` …) makes cffi call ``ctypes.util.find_library``, which runs ``ldconfig``/``gcc``
in subprocesses. cffi's out-of-line ABI mode is made for this: the declarations are parsed once, when
``_weasyprint_ffi.py`` is generated (``python -m docgen.writers.pdf.weasyprint_import``), and importing
that module gives the same types; its ``dlopen`` opens the name it is given and nothing else, so
WeasyPrint's own list of names finds the library without a subprocess.

WeasyPrint's module runs unchanged: while it is imported, ``cffi.FFI`` makes a stand-in that takes the
declarations as already known and answers everything else from the pre-parsed ffi. It is used only
when ``weasyprint/text/ffi.py`` is byte for byte the file the module was generated from (its SHA-256 is
recorded in it); otherwise WeasyPrint is imported the stock way, only slower. No output changes: the
same libraries, the same functions (tests/test_golden.py compares every document's bytes).

``weasyprint.pdf.fonts`` also imports fontTools' subsetter and variable-font instancer (~50 ms with the
tables they load), which it calls only without HarfBuzz's subsetter or for a variable font: never for
docgen's fonts where libharfbuzz-subset0 is installed. While WeasyPrint is imported, each is a stand-in
module (``_StandIn``) that imports the real one at the first use of anything in it; after, the name
is the real module's again. Nothing else changes: the same functions run when they are used.
"""

from __future__ import annotations

import hashlib
import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

GENERATED = Path(__file__).with_name("_weasyprint_ffi.py")


def _weasyprint_ffi_source() -> Path | None:
    spec = importlib.util.find_spec("weasyprint")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "text" / "ffi.py"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class _Declared:
    """What ``cffi.FFI()`` returns while WeasyPrint is imported: its ``cdef`` was done ahead of time."""

    def __init__(self, compiled: Any) -> None:
        self._compiled = compiled

    def cdef(self, *args: Any, **kwargs: Any) -> None:
        return None

    def __getattr__(self, name: str) -> Any:
        """The pre-parsed ffi's attribute (its methods, NULL …), kept here after the first use: WeasyPrint
        reads ``ffi.new``, ``ffi.string`` … thousands of times a document (~10 ms through this method)."""
        value = getattr(self._compiled, name)
        if not hasattr(getattr(type(self._compiled), name, None), "__set__"):  # never one that changes (errno)
            setattr(self, name, value)
        return value


def load() -> None:
    """Import WeasyPrint, with its declarations pre-parsed when they are the ones recorded, and the
    fontTools modules it needs only for a variable font or without HarfBuzz's subsetter deferred."""
    if "weasyprint" in sys.modules:
        return
    source = _weasyprint_ffi_source()
    compiled = None
    if source is not None and source.is_file() and GENERATED.is_file():
        from docgen.writers.pdf import _weasyprint_ffi as generated

        if _digest(source) == generated.WEASYPRINT_FFI_SHA256:
            compiled = generated.ffi
    stand_ins = [_StandIn(name, names) for name, names in DEFERRED.items() if name not in sys.modules]
    for stand_in in stand_ins:
        sys.modules[stand_in.__name__] = stand_in
    try:
        if compiled is None:
            import weasyprint  # noqa: F401  # the stock way
            return
        import cffi

        stock = cffi.FFI
        cffi.FFI = lambda *args, **kwargs: _Declared(compiled)  # type: ignore[assignment,misc]
        try:
            import weasyprint  # noqa: F401
        finally:
            cffi.FFI = stock  # type: ignore[misc]
    finally:
        for stand_in in stand_ins:
            stand_in.withdraw()


# Modules WeasyPrint imports that a PDF of docgen's static fonts never uses, and the names it imports
# from each (``from fontTools import subset``: the module itself, so none): fontTools' subsetter (used
# only where HarfBuzz's is missing) and variable-font instancer, with the otTables they load: ~50 ms.
DEFERRED: dict[str, tuple[str, ...]] = {
    "fontTools.subset": (),
    "fontTools.varLib.instancer": ("instantiateVariableFont",),
}


class _StandIn(ModuleType):
    """In ``sys.modules`` while WeasyPrint is imported, for a module it imports but may never use: any
    attribute, or a call of a name imported from it, imports the real module and is answered by it."""

    def __init__(self, name: str, names: tuple[str, ...]) -> None:
        super().__init__(name)
        for attribute in names:
            setattr(self, attribute, self._forward(attribute))

    def _forward(self, attribute: str) -> Any:
        def forward(*args: Any, **kwargs: Any) -> Any:
            return getattr(self._real(), attribute)(*args, **kwargs)

        forward.__name__ = forward.__qualname__ = attribute
        return forward

    def _real(self) -> ModuleType:
        self.withdraw()
        return importlib.import_module(self.__name__)

    def withdraw(self) -> None:
        """Out of ``sys.modules`` (and its package): the next import of the name is the real module."""
        if sys.modules.get(self.__name__) is self:
            del sys.modules[self.__name__]
        package, _, leaf = self.__name__.rpartition(".")
        if getattr(sys.modules.get(package), leaf, None) is self:
            delattr(sys.modules[package], leaf)

    def __getattr__(self, attribute: str) -> Any:
        if attribute.startswith("__"):  # the import system's probes (__path__, __spec__ …) see a plain module
            raise AttributeError(attribute)
        return getattr(self._real(), attribute)


def generate(target: Path = GENERATED) -> str:
    """Write ``_weasyprint_ffi.py`` from the installed WeasyPrint's declarations; return its text."""
    import tempfile

    import cffi

    source = _weasyprint_ffi_source()
    if source is None:
        raise SystemExit("WeasyPrint is not installed")
    declarations: list[str] = []
    stock_cdef = cffi.FFI.cdef

    def record(self, text: str, *args: Any, **kwargs: Any) -> None:
        declarations.append(text)
        return stock_cdef(self, text, *args, **kwargs)

    # WeasyPrint's module, run in isolation to record what it declares (its dlopen calls run too)
    spec = importlib.util.spec_from_file_location("_docgen_weasyprint_ffi_probe", source)
    module = importlib.util.module_from_spec(spec)
    cffi.FFI.cdef = record  # type: ignore[method-assign]
    try:
        spec.loader.exec_module(module)
    finally:
        cffi.FFI.cdef = stock_cdef  # type: ignore[method-assign]
    builder = cffi.FFI()
    for text in declarations:
        builder.cdef(text)
    builder.set_source("_weasyprint_ffi", None)
    with tempfile.TemporaryDirectory() as folder:
        emitted = Path(folder) / "_weasyprint_ffi.py"
        builder.emit_python_code(str(emitted))
        body = emitted.read_text(encoding="utf-8")
    import weasyprint

    text = ("# Generated by `python -m docgen.writers.pdf.weasyprint_import` from "
            f"WeasyPrint {weasyprint.__version__}'s\n"
            f"# weasyprint/text/ffi.py (cffi out-of-line ABI mode); see weasyprint_import.py. Do not edit.\n"
            f"WEASYPRINT_FFI_SHA256 = {_digest(source)!r}\n" + body)
    target.write_text(text, encoding="utf-8")
    return text


if __name__ == "__main__":
    generate()
    print(GENERATED)
