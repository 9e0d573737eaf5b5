"""Data → template → model: the part of the pipeline every writer and command shares."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docgen import data, markup, schema, templating
from docgen.model import Document


@dataclass
class Campaign:
    """A validated campaign plus the plain values (templates see both: models by attribute)."""

    model: schema.Campaign
    loaded: data.LoadedData

    def context(self) -> dict[str, Any]:
        """Top-level keys become template names (``organization``, ``meeting``…), ``data`` is all of it."""
        names = {key: getattr(self.model, key) for key in schema.Campaign.model_fields}
        return {**names, "data": self.model}


def load_campaign(path: str | Path) -> Campaign:
    loaded = data.load_yaml(path)
    return Campaign(model=schema.validate(loaded), loaded=loaded)


def build_document(
    campaign: Campaign, template: str, user_dirs: Sequence[str] = (), extra: dict[str, Any] | None = None
) -> Document:
    """Render one template against the campaign (and a batch record, if any) into the model."""
    text = templating.render(template, {**campaign.context(), **(extra or {})}, user_dirs)
    return markup.parse(text, source=f"{template} (rendered)")
