"""The Python API: the same render the CLI runs, returning the paths it wrote."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from docgen import pipeline
from docgen.errors import DocgenError, default_warn
from docgen.files import output
from docgen.i18n import _
from docgen.options import Options
from docgen.writers import FORMATS, check_formats, extension


def render(
    data: str | Path,
    *,
    speech: str | None = None,
    template: str | None = None,
    formats: Sequence[str] = FORMATS,
    out: str | Path = "out",
    name: str | None = None,
    options: Options | None = None,
    warn: Callable[[str], None] = default_warn,
    **fields: Any,
) -> list[Path]:
    """Render one document from campaign data into ``out`` as each format; return the paths.

    How it is made: ``options`` (``docgen.options.Options``), or its fields as keyword arguments —
    ``templates`` (your template folders), ``font_dir``, ``draft`` ("草稿", "征求意见稿": that watermark on
    every page, the seal left off), ``script`` ("hant", "hant-tw", "hant-hk": the final text converted with
    OpenCC, except ``keep`` terms), ``strict`` (the proof-reader's findings are errors, DocgenErrors, and
    nothing is written).

    Everything is built in memory first: a failure leaves the output folder untouched.
    """
    if bool(speech) == bool(template):
        raise ValueError(_("give exactly one of speech= or template="))
    formats = check_formats(formats)
    options = options or Options.build(**fields)
    template_name = pipeline.template_name(speech, template, options.user_dirs)
    each = pipeline.template_markers(template_name, options.user_dirs).each
    if each:
        raise DocgenError(
            _("{template} is made once per record of `{each}`, not once per campaign: docgen batch {data} --template "
              "{template} --each {each}").format(template=template, each=each, data=data)
        )
    campaign = pipeline.load_campaign(data)
    for message in campaign.warnings:
        warn(message)
    result = pipeline.run(campaign, template_name, formats=formats, options=options)
    for message in result.warnings:
        warn(message)
    folder = Path(out)
    stem = name or result.title or Path(template_name).name.split(".")[0]
    if options.draft and not name:  # a draft never takes the final document's name
        stem = f"{stem}（{options.draft}）"
    stem = output.safe_stem(stem)
    output.prepare_folder(folder)
    paths = []
    for fmt, rendered in result.outputs.items():
        path = output.inside(folder, f"{stem}.{extension(fmt)}")
        output.write_atomic(path, rendered.data)
        paths.append(path)
    return paths
