"""The Word engine: an office's own .docx with Jinja tags (``docgen.wordtemplate``), its PDF from LibreOffice.

This module is the engine's face to the pipeline and stays light: the engine itself (lxml, Jinja's AST, the
name checker) is imported when a Word template is first used, so a Markdown document never pays for it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from docgen.engines.base import BatchRun, Engine, Result
from docgen.files import wordfile
from docgen.i18n import N_
from docgen.options import Options

if TYPE_CHECKING:
    from docgen.pipeline import LoadedCampaign
    from docgen.templating import Markers


class WordEngine(Engine):
    name = "word"
    needs_folder = N_("a Word template")
    on_cluster = N_("--cluster: Word templates (.docx) need LibreOffice beside the files; run them without --cluster")
    merge_note = N_("--merge: documents from a Word template are merged as one PDF only (no merged DOCX)")

    def takes(self, template: str) -> bool:
        return wordfile.is_word(template)

    def locate(self, name: str, user_dirs: tuple[str, ...]) -> str | None:
        from docgen import wordtemplate

        return wordtemplate.locate(name, user_dirs)

    def markers(self, template: str, user_dirs: tuple[str, ...]) -> Markers:
        from docgen import wordtemplate

        return wordtemplate.load(template, user_dirs).markers

    def check(self, campaign: LoadedCampaign, template: str, user_dirs: tuple[str, ...],
              record: dict[str, Any] | None = None) -> None:
        """It compiles, and (given a record's names) every name it uses exists — every fault at once."""
        from docgen import wordtemplate

        wordtemplate.check(campaign, template, user_dirs, record)

    def notes(self, template: str, user_dirs: tuple[str, ...]) -> list[str]:
        from docgen import wordtemplate

        return list(wordtemplate.load(template, user_dirs).warnings)

    def digest(self, template: str, user_dirs: tuple[str, ...]) -> str:
        from docgen import wordtemplate

        return wordtemplate.load(template, user_dirs).digest

    def run(self, campaign: LoadedCampaign, template: str, record: dict[str, Any] | None,
            formats: Sequence[str], options: Options) -> Result:
        from docgen import wordtemplate

        return wordtemplate.run(campaign, template, formats=tuple(formats), record=record, options=options)

    def warm(self, template: str, formats: Sequence[str], options: Options) -> list[str]:
        return self.notes(template, options.user_dirs)  # read and compile the Word file once per process

    def batch(self, run: Callable[[BatchRun], list[dict[str, Any]]], wanted: BatchRun, jobs: int,
              progress: Callable[[int, str], Any]) -> list[dict[str, Any]]:
        """The workers make the DOCX files; then LibreOffice makes the PDFs (≤200 files per invocation)."""
        from docgen.wordtemplate import batch as word_batch

        assert wanted.out is not None  # needs_folder: a URL was refused before anything ran
        with word_batch.docx_folder(wanted.out, wanted.formats) as made_in:
            made = run(replace(wanted, formats=word_batch.worker_formats(wanted.formats), out=made_in))
            word_batch.add_pdfs(made, wanted.out, made_in, wanted.formats, jobs, progress)
        return made

