"""What ``docgen serve`` serves: the campaign folder and its files (``Site``), the documents it can make
(``catalogue``), and reading and saving the campaign file as the editor holds it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docgen import templating
from docgen.errors import DocgenError
from docgen.files import output
from docgen.i18n import _
from docgen.options import Options
from docgen.web import safety


@dataclass
class Site:
    """What the server serves: one campaign folder (its YAML files) and one output folder."""

    root: Path
    default: str  # the campaign file opened first, relative to root
    out: Path
    options: Options = Options()  # how every document of the page is made (--templates, --font-dir)
    loopback_only: bool = True

    def data_file(self, name: Any) -> Path:
        """A campaign file named by a request: a .yaml/.yml file under the campaign folder."""
        if name is not None and not isinstance(name, str):
            raise safety.Refused(400, _("file: the name of a campaign file"))
        path = safety.served_file(self.root, name or self.default)
        if path.suffix.lower() not in (".yaml", ".yml"):
            raise safety.Refused(403, _("only the campaign's YAML files can be opened"))
        return path

    def name_of(self, path: Path) -> str:
        return path.relative_to(self.root.resolve()).as_posix()

    def yaml_files(self) -> list[str]:
        return sorted(p.name for p in self.root.iterdir()
                      if p.suffix.lower() in (".yaml", ".yml") and not p.name.startswith(".") and p.is_file())

    def shown_out(self) -> str:
        """The output folder as the page names it: relative to the campaign folder when inside it."""
        try:
            return self.out.relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return str(self.out)

    def shown(self, text: str) -> str:
        """Messages name files relative to the campaign folder, as a user sees them in the page."""
        return text.replace(f"{self.root.resolve()}/", "").replace(str(self.root.resolve()), ".")


@dataclass(frozen=True)
class Doc:
    key: str  # "template:notice" or "speech:cxzy-mobilization"
    name: str
    option: str
    template: str  # as pipeline.run takes it
    description: str
    campaign: str  # a speech written for one campaign
    each: str  # a per-record kind's list (branches), else ""


def catalogue(user_dirs: tuple[str, ...]) -> list[Doc]:
    docs = []
    for info in templating.list_templates(user_dirs):
        speech = info.option == "--speech"
        template = templating.speech_name(info.name) if speech else templating.template_name(info.name)
        docs.append(Doc(f"{'speech' if speech else 'template'}:{info.name}", info.name, info.option, template,
                        info.description, info.campaign, templating.markers(template, user_dirs).each))
    return docs


def digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def read_campaign_file(path: Path) -> tuple[str, str]:
    """The file as the editor shows it (text without a BOM, \\n line ends) and its hash."""
    raw = path.read_bytes()
    if len(raw) > safety.MAX_BODY:
        raise DocgenError(_("the file is {raw_count} KiB; the page edits files up to {MAX_BODY} KiB (edit it in a text "
                            "editor)").format(raw_count=len(raw) // 1024, MAX_BODY=safety.MAX_BODY // 1024), path.name)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DocgenError(_("not UTF-8 text (GBK/GB18030?); save the file as UTF-8 and open it again"),
                          path.name) from None
    return text.replace("\r\n", "\n"), digest(raw)


def save_campaign_file(path: Path, text: str, base: str) -> str:
    """Write the editor's text if the file is still what the editor opened; keep a .bak of it."""
    raw = path.read_bytes()
    if digest(raw) != base:
        raise Conflict(_("{name} was changed on disk since you opened it (by another program or person); your text is "
                         "still in the editor — load the file again to see theirs, then redo your edit").format(
            name=path.name))
    new = text.replace("\r\n", "\n")
    if b"\r\n" in raw:  # keep the file's own line ends and BOM
        new = new.replace("\n", "\r\n")
    payload = (b"\xef\xbb\xbf" if raw.startswith(b"\xef\xbb\xbf") else b"") + new.encode("utf-8")
    if payload != raw:
        output.write_atomic(path.with_name(path.name + ".bak"), raw)
        output.write_atomic(path, payload)
    return digest(payload)


class Conflict(Exception):
    pass
