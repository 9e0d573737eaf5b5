"""`--script`: a rendered document's text in Traditional characters, data keys and paths untouched."""

from __future__ import annotations

import dataclasses
from functools import partial
from typing import Any

from docgen import zh
from docgen.i18n import _
from docgen.model import Document

NOT_TEXT = {"kind", "profile", "seal", "number"}  # names and paths; a 发文字号's code is an identifier


def convert_document(doc: Document, script: str, keep: tuple[str, ...] = ()) -> Document:
    """A copy of ``doc`` with every piece of text converted (OpenCC), except the ``keep`` terms."""
    if script not in zh.SCRIPTS:
        raise ValueError(_("unknown script {script!r}; choose from {SCRIPTS}").format(
            script=script, SCRIPTS=', '.join(zh.SCRIPTS)))
    if zh.SCRIPTS[script] is None:
        return doc
    return _map(doc, partial(zh.convert_script, script=script, keep=keep))


def _map(value: Any, convert) -> Any:
    if isinstance(value, str):
        return convert(value)
    if isinstance(value, list):
        return [_map(item, convert) for item in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {
            f.name: _map(getattr(value, f.name), convert) for f in dataclasses.fields(value) if f.name not in NOT_TEXT
        }
        return dataclasses.replace(value, **changes)
    return value
