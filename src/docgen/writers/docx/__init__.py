"""The DOCX writer (python-docx), split by concern: ``writer`` (one rule per node), ``styles`` (named
styles from the profile), ``package`` (sections, zh-CN line breaking, deterministic zip), ``ooxml``."""

from docgen.writers.docx.writer import DocxWriter

__all__ = ["DocxWriter"]
