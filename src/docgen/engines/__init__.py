"""Template engines, a registry like sources, kinds and writers: the first engine that takes a template
makes its documents (``engine_for``), and a ``--template NAME`` is the first engine's that knows the name
(``locate``). A new engine (an .odt or an HTML template) is one module with an ``Engine`` subclass and one
line here; ``tests/test_seams.py`` adds one at run time.
"""

from __future__ import annotations

from docgen.engines.base import BatchRun, Engine, Result
from docgen.engines.markdown import MarkdownEngine
from docgen.engines.word import WordEngine

# Asked in order; the Markdown engine takes whatever the others do not, so it stays last.
ENGINES: list[Engine] = [WordEngine(), MarkdownEngine()]


def engine_for(template: str) -> Engine:
    """The engine that makes ``template``'s documents."""
    return next(engine for engine in ENGINES if engine.takes(template))


def locate(name: str, user_dirs: tuple[str, ...] = ()) -> str:
    """What ``--template NAME`` means: the first engine's template of that name; the last engine (Markdown)
    says what is wrong when none has it."""
    for engine in ENGINES:
        found = engine.locate(name, user_dirs)
        if found:
            return found
    raise AssertionError("the last engine either finds a template or says why not")


def locate_speech(name: str, user_dirs: tuple[str, ...] = ()) -> str:
    """What ``--speech NAME`` means: a speech is a Markdown template (speeches/NAME.md.j2)."""
    return MarkdownEngine.locate_speech(name, user_dirs)


__all__ = ["ENGINES", "BatchRun", "Engine", "Result", "engine_for", "locate", "locate_speech"]
