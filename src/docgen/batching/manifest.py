"""manifest.json and manifest.csv: what a batch made, so a re-run can skip what has not changed.

One manifest per folder: a batch done in parts (`--part 2/5`, `--where 'index > 30'`) adds its
records to what the earlier parts made, and a re-run replaces its own records' entries — so the
folder's manifest lists every document in it, by its index in the whole list. Entries of another
batch (another template or --each) are not kept: the manifest describes one batch. The data is not
compared: a part run from the folder itself (`docgen batch .`) is the same batch as one run from
above it, and a roster corrected between parts is still this batch's data (each entry's input hash
says whether its document is current).

Read and written through the batch's Target (a folder or an fsspec store), by the process that
runs the batch: on a cluster the client assembles it from the workers' results.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from typing import Any

from docgen.batching.target import Target

MANIFEST = "manifest.json"


SAME_BATCH = ("template", "each")  # what makes two runs parts of one batch


def load(target: Target, run: dict[str, Any] | None = None) -> dict[str, dict[str, Any]]:
    """The entries the folder's manifest holds, by file stem — of the same batch as ``run`` when given;
    an unreadable manifest just means "redo everything"."""
    try:
        stored = json.loads((target.read(MANIFEST) or b"").decode("utf-8"))
        if run is not None and any(stored.get(key) != run.get(key) for key in SAME_BATCH):
            return {}
        return {entry["stem"]: entry for entry in stored["documents"] if isinstance(entry.get("index"), int)}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def still_valid(entry: dict[str, Any] | None, input_hash: str, target: Target, formats: tuple[str, ...]) -> bool:
    """Same inputs, and every file still there with the bytes the manifest recorded."""
    if not entry or entry.get("input") != input_hash or entry.get("status") != "ok":
        return False
    files = {f["format"]: f for f in entry.get("files", [])}
    if set(files) != set(formats):
        return False
    for info in files.values():
        data = target.read(info["file"])
        if data is None or hashlib.sha256(data).hexdigest() != info["sha256"]:
            return False
    return True


def write(target: Target, run: dict[str, Any], documents: list[dict[str, Any]],
          kept: list[dict[str, Any]] = ()) -> dict[str, Any]:
    """Write both files atomically (only when their content changes) and return this run's manifest.

    ``kept``: the entries of the batch's other records, made by earlier runs (parts) into this folder;
    they are stored with this run's, by index. On disk a document is "ok" or "failed"; the returned
    manifest lists this run's documents and tells "written" from "unchanged", which is this run's news,
    not the folder's state (``others`` counts the kept ones).
    """
    manifest = {**run, "documents": sorted(documents, key=lambda d: d["index"]), "others": len(kept)}
    ours = {d["index"] for d in documents}
    every = sorted([*documents, *(d for d in kept if d["index"] not in ours)], key=lambda d: d["index"])
    stored = {**run, "documents": [
        {**d, "status": "failed" if d["status"] == "failed" else "ok"} for d in every
    ]}
    text = json.dumps(stored, ensure_ascii=False, indent=2) + "\n"
    if target.read(MANIFEST) == text.encode("utf-8"):
        return manifest  # a re-run that changed nothing rewrites nothing
    target.write(MANIFEST, text.encode("utf-8"))
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
    target.write("manifest.csv", ("\ufeff" + buffer.getvalue()).encode("utf-8"))
    return manifest
