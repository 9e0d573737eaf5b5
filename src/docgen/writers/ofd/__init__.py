"""OFD (GB/T 33190-2016) from the PDF writer's WeasyPrint layout: ``writer`` (render, write_many),
``layout`` (the laid-out boxes → glyphs, rules, images), ``fonts`` (embedded TrueType subsets),
``package`` (the XML parts and the zip)."""

from docgen.writers.ofd.writer import OfdWriter

__all__ = ["OfdWriter"]
