"""The dates a PDF carries: the document's own (its 成文日期) as the creation date, else a fixed one, so the same
input makes the same bytes. Both the one-document writer and the batch layout stamp them."""

from __future__ import annotations

import datetime as dt
import os

from docgen.model import Document


def created_stamp(doc: Document | None) -> str:
    """The document's date (成文日期, the meeting's date) as a PDF creation date, or ""."""
    return f"{doc.meta.created}T00:00:00Z" if doc is not None and doc.meta.created else ""


def fixed_date() -> str:
    """Same input, same bytes: the timestamp is SOURCE_DATE_EPOCH, or a fixed date."""
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "946684800"))  # 2000-01-01
    return dt.datetime.fromtimestamp(epoch, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
