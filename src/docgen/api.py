"""The Python API: the same render the CLI runs, returning the paths it wrote."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from docgen import output, pipeline
from docgen.errors import DocgenError, default_warn
from docgen.i18n import _
from docgen.writers import FORMATS, check_formats, extension


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
    strict: bool = False,
) -> list[Path]:
    """Render one document from campaign data into ``out`` as each format; return the paths.

    ``draft`` ("草稿", "征求意见稿") puts that watermark on every page and leaves the seal off.
    ``script`` ("hant", "hant-tw", "hant-hk") converts the final text with OpenCC, except ``keep`` terms.
    ``strict``: the proof-reader's findings are errors (DocgenErrors), and nothing is written.

    Everything is built in memory first: a failure leaves the output folder untouched.
    """
    if bool(speech) == bool(template):
        raise ValueError(_("give exactly one of speech= or template="))
    formats = check_formats(formats)
    options = pipeline.Options(
        draft=draft, script=script, keep=tuple(keep), user_dirs=tuple(str(Path(d)) for d in templates),
        font_dir=str(font_dir) if font_dir else None, strict=strict,
    )
    # a Word template (模板.docx, or NAME.docx in a --templates folder) takes the wordtemplate path
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
    title = result.document.meta.title if result.document else result.title
    stem = name or title or Path(template_name).name.split(".")[0]
    if draft and not name:  # a draft never takes the final document's name
        stem = f"{stem}（{draft}）"
    stem = output.safe_stem(stem)
    output.prepare_folder(folder)
    paths = []
    for fmt, rendered in result.outputs.items():
        path = output.inside(folder, f"{stem}.{extension(fmt)}")
        output.write_atomic(path, rendered.data)
        paths.append(path)
    return paths
