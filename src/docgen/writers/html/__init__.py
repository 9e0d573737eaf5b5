"""The HTML writer WeasyPrint lays out: ``writer`` (one rule per node), ``css`` (the stylesheet)."""

from docgen.writers.html.css import stylesheet
from docgen.writers.html.writer import HtmlWriter

__all__ = ["HtmlWriter", "stylesheet"]
