"""The PDF writer (``writer``): WeasyPrint lays out the HTML writer's pages. Its parts: many documents in one
layout pass (``batch``), WeasyPrint's internals made faster (``internals``), WeasyPrint imported with its C
declarations pre-parsed (``weasyprint_import``), hanging punctuation (``hanging``), and the measurements the
transforms ask of a laid-out page (``measure``). Importing this package imports none of them."""
