"""Data → template → model: the part of the pipeline every writer and command shares."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docgen import data, markup, schema, templating
from docgen.errors import DocgenError
from docgen.model import Document


@dataclass
class Campaign:
    """A validated campaign plus the plain values (templates see both: models by attribute)."""

    model: schema.Campaign
    loaded: data.LoadedData
    warnings: list[str] = field(default_factory=list)  # e.g. unknown keys, left out

    def context(self) -> dict[str, Any]:
        """Top-level keys become template names (``organization``, ``meeting``…), ``data`` is all of it;
        ``draft`` is the --draft status (None unless asked)."""
        names = {key: getattr(self.model, key) for key in schema.Campaign.model_fields}
        return {**names, "data": self.model, "draft": None}


IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")


def load_campaign(path: str | Path) -> Campaign:
    loaded = data.load_yaml(path)
    model, warnings = schema.validate(loaded)
    return Campaign(model=_resolve_assets(model, loaded), loaded=loaded, warnings=warnings)


def _resolve_assets(model: schema.Campaign, loaded: data.LoadedData) -> schema.Campaign:
    """Seal images are named relative to the data file and must stay in its folder and be images."""
    folder = Path(loaded.file).resolve().parent
    documents = {}
    for key, document in model.documents.items():
        if document.seal:
            spot = loaded.spot(("documents", key, "seal"))
            seal = (folder / document.seal).resolve()
            if folder not in seal.parents:
                raise DocgenError(f"documents.{key}.seal: '{document.seal}' is outside the data's folder", spot)
            if not seal.is_file():
                raise DocgenError(f"documents.{key}.seal: no such file '{document.seal}'", spot)
            with seal.open("rb") as handle:
                head = handle.read(8)
            if not head.startswith(IMAGE_MAGIC):
                raise DocgenError(f"documents.{key}.seal: '{document.seal}' is not a PNG or JPEG image", spot)
            document = document.model_copy(update={"seal": str(seal)})
        documents[key] = document
    return model.model_copy(update={"documents": documents}) if documents else model


def build_document(
    campaign: Campaign, template: str, user_dirs: Sequence[str] = (), extra: dict[str, Any] | None = None
) -> Document:
    """Render one template against the campaign (and a batch record, if any) into the model."""
    text = templating.render(template, {**campaign.context(), **(extra or {})}, user_dirs)
    return markup.parse(text, source=f"{template} (rendered)")
