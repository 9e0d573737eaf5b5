"""How many records a worker takes per call: a local pool's chunks (the cluster sizes its tasks from these)."""

from __future__ import annotations

from collections.abc import Sequence

# Records per worker call. A PDF chunk's documents that the transforms did not lay out as written (a 版记,
# no signature) are laid out in one WeasyPrint pass (writers/pdf/batch.py); the others are written from
# the layout that placed their signature.
# PDF_CHUNK by measurement (scripts/pdf_speed.py, run_many over 60–200 notices, CPU ms per notice):
# chunks of 10–20 were about 5 % cheaper than one document per pass, 50–60 no better or worse
# (WeasyPrint's per-page style pass walks the whole pass), and 10 still leaves each of two workers
# several calls for 100 records. Each chunk's files are made durable by one sync (output.make_durable),
# so a DOCX chunk is larger: CHUNK files share one sync, at -j 1 too (24 and 48 measured alike: 2.1 ms
# CPU and 3.4–3.9 ms wall a notice, 1,000 notices at -j 1).
CHUNK = 24
PDF_CHUNK = 10


def chunk_size(tasks: int, workers: int, formats: Sequence[str]) -> int:
    """Records per call: up to PDF_CHUNK (PDF) or CHUNK, still giving each worker several calls."""
    most = PDF_CHUNK if "pdf" in formats else CHUNK
    share = tasks // (workers * 4) if workers > 1 else tasks
    return max(1, min(most, share))
