"""docgen: campaign YAML + Jinja templates → GB/T 9704 Chinese Party and government documents."""

from __future__ import annotations

from docgen.version import __version__

__all__ = ["__version__", "batch", "render"]


def __getattr__(name: str):
    # The API pulls in Jinja and python-docx; keep `import docgen` (and so `docgen --help`) light.
    if name == "render":
        from docgen.api import render

        return render
    if name == "batch":
        from docgen.batching import batch

        return batch
    raise AttributeError(name)
