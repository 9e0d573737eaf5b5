"""Python's cycle collector paused while a one-document command starts: ~0.1 s of a cold `docgen render`.

Before a cold render lays out its first page it has made ~100,000 objects the collector tracks —
modules, classes, compiled templates and stylesheets, the campaign and the document model — and nearly
all of them live until the process ends. The collector runs every 700 new ones and walks them, and the
older ones again in its older generations, finding almost nothing (the speech's whole render leaves
~8,000 objects of cyclic garbage, from its layout). `docgen render` pauses it from its start until
its first writer is built (``writers.writer``); then ``gc.freeze()`` sets everything made so far aside
for good, so the collections during the layout walk only what the layout makes, and it runs again.

Only the `render` command pauses (one document, then the process ends); batch workers, `docgen serve`
and the Python API never do. Nothing a document is made of depends on when cycles are collected.

What was frozen is never collected before the interpreter tears its modules down, and a finalizer that
runs then finds them gone (WeasyPrint's ``FontConfiguration.__del__`` removing its font folder printed
「Exception ignored … 'NoneType' object has no attribute 'audit'」 after every cold PDF render): so
the writers drop what they hold at exit (their refcounts free it) and ``release`` hands the frozen objects
back to the collector, while Python is whole.
"""

from __future__ import annotations

import gc

_paused = False
_frozen = False


def pause() -> None:
    """Stop collecting cycles until ``resume`` (if the collector is on, which a program may have changed)."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def was_frozen() -> bool:
    return _frozen


def release() -> None:
    """At exit, before the modules go: what ``resume`` froze is the collector's again (no collection: the
    caller's dropped references free what matters, and a full collection would cost a cold render ~30 ms)."""
    global _frozen
    if _frozen:
        _frozen = False
        gc.unfreeze()


def resume() -> None:
    """Everything allocated so far set aside for good, and the collector on again, if ``pause`` stopped it."""
    global _paused, _frozen
    if _paused:
        _paused = False
        _frozen = True
        gc.freeze()
        gc.enable()
