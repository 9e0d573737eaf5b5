"""The two WeasyPrint internals docgen changes, because WeasyPrint has no option for them.

Checked against WeasyPrint 70.0 (``CHECKED_WEASYPRINT``); ``install()`` patches nothing unless the
internals still look as described below (then PDFs are made the stock way, only slower), and
``tests/test_pdf_fast.py`` fails loudly on a WeasyPrint whose internals or version differ.

1. **One copy of each font file per process.** ``weasyprint.pdf.fonts.Font.__init__`` copies the
   whole font file out of HarfBuzz (``get_hb_object_data(self.hb_face)``) for every font of every
   PDF: 5–7 MB per Fandol file, 3.7–4.3 ms a notice. With subsetting on (docgen always subsets)
   that copy is read only for its first four bytes (``Font.type``). While ``Font.__init__`` runs,
   ``get_hb_object_data`` is answered from one immutable ``bytes`` per HarfBuzz blob. The blob is
   pinned (``hb_blob_reference``) for as long as its copy is kept, so its address cannot be reused
   by another file: the same address and length is the same file.

2. **A subset cache.** ``Font._harfbuzz_subset`` runs HarfBuzz's subsetter twice per font and PDF
   (about 14.7 ms a notice). Its result depends only on the font file and face index, the glyph ids
   kept, the hinting option and whether a glyph is missing (the .notdef outline flag): that is the
   key (the file by the serial number of its shared copy, one per pinned HarfBuzz blob: hashing the
   five 5–8 MB files cost a cold render ~40 ms; a file that reaches the process through a second blob
   only has its subsets made again). The value is immutable ``bytes``, the same bytes the
   subsetter would make, so nothing of one document (a glyph, a name) can reach another: a
   document gets only a subset made for exactly its own glyph set. The cache is an LRU bounded by
   bytes (``SUBSET_CACHE_BYTES``); each entry may also keep its deflated form for the stream
   compressor (``writers.pdf_fast``), computed once per level.

3. **One subsetter pass instead of two.** WeasyPrint's first pass keeps the used glyphs at their
   ids (``RETAIN_GIDS``); its second keeps glyphs ``0..max`` to drop the empty tail and applies the
   hinting flag. HarfBuzz 6 already ends a retained-ids subset at the largest kept id, so one pass
   with the hinting flag gives the same bytes (measured: FandolFang, 250 glyphs, 9.6 → 6.6 ms).
   That is checked, not assumed: the first subset of each font file in a process is made both ways
   and compared; a file whose bytes differ (another HarfBuzz, another font format) keeps the two
   passes, and so does any subset whose glyph count is not the largest id + 1.
"""

from __future__ import annotations

import functools
import inspect
import itertools
import linecache
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

CHECKED_WEASYPRINT = "70.0"
SUBSET_CACHE_BYTES = 16 * 1024 * 1024  # a notice's body subset is 120–200 KB; title and page-number subsets stay hot
MAX_SHARED_FILES = 32
DROPPED_TABLES = (b"BASE", b"DSIG", b"EBDT", b"EBLC", b"EBSC", b"GPOS", b"GSUB", b"JSTF", b"LTSH", b"PCLT", b"SVG ")

_lock = threading.RLock()
_local = threading.local()
_state: dict[str, object] = {"installed": False, "reason": "install() not called"}


@dataclass
class _SharedFile:
    blob: object  # a pinned hb_blob_t*: keeps the file's memory, and so its address, ours
    data: bytes
    serial: int  # this process's number for the file: its subsets' and verdict's key


@dataclass
class _Subset:
    data: bytes
    deflated: dict[int, bytes] = field(default_factory=dict)


_files: OrderedDict[tuple[int, int], _SharedFile] = OrderedDict()
_files_by_data: dict[int, _SharedFile] = {}
_subsets: OrderedDict[tuple, _Subset] = OrderedDict()
_subsets_by_data: dict[int, _Subset] = {}
_subset_bytes = 0
stats = {"file_copies": 0, "file_shared": 0, "subset_hits": 0, "subset_misses": 0, "one_pass": 0, "two_pass": 0}
_one_pass_ok: dict[tuple[int, int], bool] = {}  # (file serial, face index) → one pass gave WeasyPrint's bytes
_serials = itertools.count()


def installed() -> bool:
    return bool(_state["installed"])


def reason() -> str:
    """Why the patch is not installed ('' when it is)."""
    return str(_state["reason"])


def problems() -> list[str]:
    """What no longer matches the internals this module was written against (empty: all match)."""
    try:
        import weasyprint
        from weasyprint.pdf import fonts as pdf_fonts
        from weasyprint.text import ffi as text_ffi
    except ImportError as exc:  # pragma: no cover - WeasyPrint is a dependency
        return [f"cannot import WeasyPrint: {exc}"]
    found = []
    font = getattr(pdf_fonts, "Font", None)
    if font is None:
        return ["weasyprint.pdf.fonts.Font is gone"]
    expect = {
        "__init__": ["self", "pango_font", "description", "font_size"],
        "_harfbuzz_subset": ["self", "to_unicode", "hinting"],
        "subset": ["self", "to_unicode", "hinting"],
        "clean": ["self", "to_unicode", "hinting"],
    }
    for name, params in expect.items():
        method = getattr(font, name, None)
        if method is None:
            found.append(f"Font.{name} is gone")
        elif list(inspect.signature(method).parameters) != params:
            found.append(f"Font.{name}{inspect.signature(method)} is not ({', '.join(params)})")
    sources = {}
    for name in ("__init__", "_harfbuzz_subset", "subset", "clean"):
        try:
            sources[name] = source_of(getattr(font, name))
        except (OSError, TypeError, AttributeError):
            sources[name] = ""
    needles = [
        ("__init__", "self.file_content = get_hb_object_data(self.hb_face)"),
        ("_harfbuzz_subset", "hb_subset_or_fail(self.hb_face, hb_subset)"),
        ("_harfbuzz_subset", "sorted(to_unicode)"),
        ("_harfbuzz_subset", "if self.missing:"),
        ("_harfbuzz_subset", "self.file_content = file_content"),
        ("subset", "self._harfbuzz_subset(to_unicode, hinting)"),
        ("clean", "self.subset(to_unicode, hinting)"),
    ]
    for name, needle in needles:
        if needle not in sources[name]:
            found.append(f"Font.{name} no longer contains {needle!r}")
    if not callable(getattr(pdf_fonts, "get_hb_object_data", None)):
        found.append("weasyprint.pdf.fonts.get_hb_object_data is gone")
    for name in ("hb_face_reference_blob", "hb_blob_get_data", "hb_blob_destroy"):
        if not hasattr(text_ffi.harfbuzz, name):
            found.append(f"harfbuzz.{name} is not bound")
    if getattr(weasyprint, "__version__", None) != CHECKED_WEASYPRINT:
        found.append(f"WeasyPrint {weasyprint.__version__} (checked against {CHECKED_WEASYPRINT})")
    return found


def source_of(function) -> str:
    """A function's source as ``inspect.getsource`` gives it, from its first line to the last line its code
    (and any code nested in it) covers: read, not tokenized (getsource's tokenizing cost every PDF writer
    ~7 ms for these checks). A wrapper is read through to what it wraps (``__wrapped__``), as getsource does;
    OSError where the file cannot be read."""
    code = inspect.unwrap(function).__code__

    def last(code) -> int:
        own = max((line for *_, line in code.co_lines() if line is not None), default=code.co_firstlineno)
        return max([own, *(last(inner) for inner in code.co_consts if hasattr(inner, "co_lines"))])

    lines = linecache.getlines(code.co_filename)
    if not lines:
        raise OSError(f"cannot read {code.co_filename}")
    return "".join(lines[code.co_firstlineno - 1 : last(code)])


def install() -> bool:
    """Patch WeasyPrint once per process if its internals are the checked ones; True if patched."""
    with _lock:
        if _state["installed"]:
            return True
        found = [p for p in problems() if not p.startswith("WeasyPrint ")]  # a new version may still match
        if found:
            _state["reason"] = "; ".join(found)
            return False
        from weasyprint.pdf import fonts as pdf_fonts

        original_init = pdf_fonts.Font.__init__
        original_subset = pdf_fonts.Font._harfbuzz_subset
        original_data = pdf_fonts.get_hb_object_data

        def get_hb_object_data(hb_object, ot_color=None, glyph=None):
            if ot_color is None and glyph is None and getattr(_local, "in_font_init", False):
                shared = _shared_file(hb_object)
                if shared is not None:
                    return shared.data
            return original_data(hb_object, ot_color, glyph)

        def font_init(self, pango_font, description, font_size):
            _local.in_font_init = True
            try:
                original_init(self, pango_font, description, font_size)
            finally:
                _local.in_font_init = False

        def harfbuzz_subset(self, to_unicode, hinting):
            shared = _files_by_data.get(id(self.file_content))
            if shared is None or shared.data is not self.file_content:
                return original_subset(self, to_unicode, hinting)
            key = (shared.serial, self.index, tuple(sorted(to_unicode)), bool(hinting), bool(self.missing))
            with _lock:
                hit = _subsets.get(key)
                if hit is not None:
                    _subsets.move_to_end(key)
                    stats["subset_hits"] += 1
                    self.file_content = hit.data
                    return None
            _subset(self, to_unicode, hinting, shared.serial, original_subset)
            stats["subset_misses"] += 1
            if self.file_content is not shared.data:  # subset made (else WeasyPrint warned and keeps all)
                _remember_subset(key, self.file_content)
            return None

        font_init.__wrapped__ = original_init  # type: ignore[attr-defined]
        harfbuzz_subset.__wrapped__ = original_subset  # type: ignore[attr-defined]
        get_hb_object_data.__wrapped__ = original_data  # type: ignore[attr-defined]
        pdf_fonts.Font.__init__ = font_init
        pdf_fonts.Font._harfbuzz_subset = harfbuzz_subset
        pdf_fonts.get_hb_object_data = get_hb_object_data
        _state.update(installed=True, reason="")
        return True


def _subset(font, to_unicode, hinting, serial: int, two_passes: Callable) -> None:
    """Subset ``font`` in one pass where that was seen to give WeasyPrint's bytes for this file."""
    face = (serial, font.index)
    with _lock:
        verdict = _one_pass_ok.get(face)
    made = one_pass_subset(font, to_unicode, hinting) if verdict is not False and to_unicode else None
    if verdict and made is not None:
        font.file_content = made
        stats["one_pass"] += 1
        return
    two_passes(font, to_unicode, hinting)
    stats["two_pass"] += 1
    if verdict is None and to_unicode:  # this file's first subset: compare the two ways once
        with _lock:
            _one_pass_ok[face] = made is not None and made == font.file_content


@functools.cache
def _dropped_tags() -> list[int]:
    from weasyprint.text.ffi import harfbuzz

    return sorted(harfbuzz.hb_tag_from_string(name, -1) for name in DROPPED_TABLES)


def one_pass_subset(font, to_unicode, hinting) -> bytes | None:
    """WeasyPrint's ``_harfbuzz_subset`` in one pass: the used glyphs at their ids, the tail dropped."""
    from weasyprint.pdf.fonts import get_hb_object_data
    from weasyprint.text.ffi import ffi, harfbuzz, harfbuzz_subset

    hb = harfbuzz_subset
    subset_input = ffi.gc(hb.hb_subset_input_create_or_fail(), hb.hb_subset_input_destroy)
    if subset_input == ffi.NULL:
        return None
    glyphs = sorted(to_unicode)
    harfbuzz.hb_set_add_sorted_array(hb.hb_subset_input_glyph_set(subset_input),
                                     ffi.new(f"hb_codepoint_t[{len(glyphs)}]", glyphs), len(glyphs))
    flags = (hb.HB_SUBSET_FLAGS_RETAIN_GIDS | hb.HB_SUBSET_FLAGS_PASSTHROUGH_UNRECOGNIZED
             | hb.HB_SUBSET_FLAGS_DESUBROUTINIZE)
    if not hinting:
        flags |= hb.HB_SUBSET_FLAGS_NO_HINTING
    if font.missing:
        flags |= hb.HB_SUBSET_FLAGS_NOTDEF_OUTLINE
    hb.hb_subset_input_set_flags(subset_input, flags)
    tags = _dropped_tags()
    harfbuzz.hb_set_add_sorted_array(hb.hb_subset_input_set(subset_input, hb.HB_SUBSET_SETS_DROP_TABLE_TAG),
                                     ffi.new(f"hb_codepoint_t[{len(tags)}]", tags), len(tags))
    face = hb.hb_subset_or_fail(font.hb_face, subset_input)
    if face == ffi.NULL:
        return None
    face = ffi.gc(face, harfbuzz.hb_face_destroy)
    if harfbuzz.hb_face_get_glyph_count(face) != glyphs[-1] + 1:
        return None
    return get_hb_object_data(face) or None


def _shared_file(hb_face) -> _SharedFile | None:
    from weasyprint.text.ffi import ffi, harfbuzz

    blob = harfbuzz.hb_face_reference_blob(hb_face)
    length = ffi.new("unsigned int *")
    pointer = harfbuzz.hb_blob_get_data(blob, length)
    if pointer == ffi.NULL or not length[0]:
        harfbuzz.hb_blob_destroy(blob)
        return None
    key = (int(ffi.cast("uintptr_t", pointer)), int(length[0]))
    with _lock:
        shared = _files.get(key)
        if shared is not None:
            harfbuzz.hb_blob_destroy(blob)  # ours is already pinned
            _files.move_to_end(key)
            stats["file_shared"] += 1
            return shared
        data = ffi.unpack(pointer, int(length[0]))
        shared = _SharedFile(blob, data, next(_serials))
        _files[key] = shared
        _files_by_data[id(data)] = shared
        stats["file_copies"] += 1
        while len(_files) > MAX_SHARED_FILES:
            _, old = _files.popitem(last=False)
            _files_by_data.pop(id(old.data), None)
            harfbuzz.hb_blob_destroy(old.blob)
        return shared


def _remember_subset(key: tuple, data: bytes) -> None:
    global _subset_bytes
    if len(data) > SUBSET_CACHE_BYTES // 4:
        return
    with _lock:
        if key in _subsets:
            return
        entry = _Subset(data)
        _subsets[key] = entry
        _subsets_by_data[id(data)] = entry
        _subset_bytes += len(data)
        _evict()


def _evict() -> None:
    global _subset_bytes
    while _subset_bytes > SUBSET_CACHE_BYTES and _subsets:
        _, old = _subsets.popitem(last=False)
        _subsets_by_data.pop(id(old.data), None)
        _subset_bytes -= len(old.data) + sum(map(len, old.deflated.values()))


def deflated_subset(data: bytes, level: int, deflate: Callable[[bytes, int], bytes]) -> bytes | None:
    """The deflated bytes of a cached subset (made once per level), or None if ``data`` is not one."""
    global _subset_bytes
    with _lock:
        entry = _subsets_by_data.get(id(data))
        if entry is None or entry.data is not data:
            return None
        made = entry.deflated.get(level)
        if made is None:
            made = entry.deflated[level] = deflate(data, level)
            _subset_bytes += len(made)
            _evict()
        return made


def clear() -> None:
    """Forget the cached subsets and the one-pass verdicts (the shared files stay: they are the files)."""
    global _subset_bytes
    with _lock:
        _one_pass_ok.clear()
        _subsets.clear()
        _subsets_by_data.clear()
        _subset_bytes = 0


def cache_bytes() -> int:
    return _subset_bytes


def page_is_blank(page) -> bool:
    """Whether WeasyPrint laid this page out as a blank page (a forced break's filler): its page box's
    page type says so (WeasyPrint 70: ``Page._page_box.page_type.blank``)."""
    return page._page_box.page_type.blank
