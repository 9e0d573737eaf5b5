"""The Python API: the same render the CLI runs, returning the paths it wrote."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from docgen import checks, output, templating
from docgen.errors import DocgenError, default_warn
from docgen.pipeline import build_document, load_campaign
from docgen.script import convert_document
from docgen.writers import FORMATS, writer


def render(
    data: str | Path,
    *,
    speech: str | None = None,
    template: str | None = None,
    formats: Sequence[str] = FORMATS,
    out: str | Path = "out",
    templates: Sequence[str | Path] = (),
    font_dir: str | Path | None = None,
    name: str | None = None,
    draft: str | None = None,
    script: str = "hans",
    keep: Sequence[str] = (),
    warn: Callable[[str], None] = default_warn,
) -> list[Path]:
    """Render one document from campaign data into ``out`` as each format; return the paths.

    ``draft`` ("草稿", "征求意见稿") puts that watermark on every page and leaves the seal off.
    ``script`` ("hant", "hant-tw", "hant-hk") converts the final text with OpenCC, except ``keep`` terms.

    Everything is built in memory first: a failure leaves the output folder untouched.
    """
    if bool(speech) == bool(template):
        raise ValueError("give exactly one of speech= or template=")
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise DocgenError(f"unknown format {', '.join(unknown)}; choose from {', '.join(FORMATS)}")
    template_name = templating.speech_name(speech) if speech else templating.template_name(template or "")
    user_dirs = tuple(str(Path(d)) for d in templates)
    campaign = load_campaign(data)
    for message in campaign.warnings:
        warn(message)
    document = build_document(campaign, template_name, user_dirs, {"draft": draft} if draft else None)
    for finding in checks.check_document(document):
        warn(f"{template_name}: warning: {finding}")
    document = convert_document(document, script, tuple(keep))
    font_folder = str(font_dir) if font_dir else None
    payloads = {fmt: writer(fmt, document.meta.profile, font_folder).write_bytes(document) for fmt in formats}
    folder = Path(out)
    stem = output.safe_stem(name or document.meta.title or Path(template_name).name.split(".")[0])
    output.prepare_folder(folder)
    paths = []
    for fmt, payload in payloads.items():
        path = output.inside(folder, f"{stem}.{fmt}")
        output.write_atomic(path, payload)
        paths.append(path)
    return paths
