"""manifest.json and manifest.csv: what a batch made, so a re-run can skip what has not changed."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path
from typing import Any

from docgen import output

MANIFEST = "manifest.json"


def load(folder: Path) -> dict[str, dict[str, Any]]:
    """The previous run's entries by file stem; an unreadable manifest just means "redo everything"."""
    path = folder / MANIFEST
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))["documents"]
        return {entry["stem"]: entry for entry in entries}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def still_valid(entry: dict[str, Any] | None, input_hash: str, folder: Path, formats: tuple[str, ...]) -> bool:
    """Same inputs, and every file still there with the bytes the manifest recorded."""
    if not entry or entry.get("input") != input_hash or entry.get("status") != "ok":
        return False
    files = {f["format"]: f for f in entry.get("files", [])}
    if set(files) != set(formats):
        return False
    for info in files.values():
        path = folder / info["file"]
        if not path.is_file() or hashlib.sha256(path.read_bytes()).hexdigest() != info["sha256"]:
            return False
    return True


def write(folder: Path, run: dict[str, Any], documents: list[dict[str, Any]]) -> dict[str, Any]:
    """Write both files atomically (only when their content changes) and return the manifest.

    On disk a document is "ok" or "failed"; the returned manifest also tells "written" from
    "unchanged", which is this run's news, not the folder's state.
    """
    manifest = {**run, "documents": sorted(documents, key=lambda d: d["index"])}
    stored = {**run, "documents": [
        {**d, "status": "failed" if d["status"] == "failed" else "ok"} for d in manifest["documents"]
    ]}
    text = json.dumps(stored, ensure_ascii=False, indent=2) + "\n"
    path = folder / MANIFEST
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return manifest  # a re-run that changed nothing rewrites nothing
    output.write_atomic(path, text.encode("utf-8"))
    buffer = io.StringIO()
    table = csv.writer(buffer)
    table.writerow(["index", "record", "name", "status", "file", "format", "pages", "bytes", "sha256", "error",
                    "source"])
    for doc in stored["documents"]:
        files = doc.get("files") or [{}]
        for info in files:
            table.writerow([doc["index"], doc["record"], doc["name"], doc["status"], info.get("file", ""),
                            info.get("format", ""), info.get("pages") or "", info.get("bytes", ""),
                            info.get("sha256", ""), doc.get("error", ""), doc.get("source", "")])
    # A BOM so Excel opens the Chinese names correctly.
    output.write_atomic(folder / "manifest.csv", ("\ufeff" + buffer.getvalue()).encode("utf-8"))
    return manifest
