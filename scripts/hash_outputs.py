"""Every built-in document of both examples (a render in DOCX, PDF and OFD; a per-record kind as a batch in DOCX
and PDF), one sha256 per file, sorted: run it on two checkouts and diff, for a change meant to alter nothing.

    PYTHONPATH=OTHER/src .venv/bin/python scripts/hash_outputs.py OUT1 > before.txt
    .venv/bin/python scripts/hash_outputs.py OUT2 > after.txt && diff before.txt after.txt
"""

import hashlib
import os
import sys
from pathlib import Path


def main(out: Path) -> list[str]:
    os.environ["SOURCE_DATE_EPOCH"] = "1276819200"
    import docgen
    from docgen import templating
    from docgen.errors import DocgenError

    root = Path(docgen.__file__).resolve().parents[2]
    lines = []
    for example in ("wadian", "jinqiao"):
        data = root / "examples" / example
        for info in templating.list_templates(()):
            which = {"speech": info.name} if info.option == "--speech" else {"template": info.name}
            folder = out / f"{example}-{info.name}"
            each = "" if info.option == "--speech" else templating.markers(templating.template_name(info.name)).each
            try:
                if each:
                    docgen.batch(data, each=each, formats=("docx", "pdf"), out=folder, jobs=1,
                                 warn=lambda message: None, **which)
                else:
                    docgen.render(data, formats=("docx", "pdf", "ofd"), out=folder, warn=lambda message: None,
                                  **which)
            except DocgenError as exc:  # a speech written for the other example's campaign
                lines.append(f"refused {folder.name}: {str(exc)[:100]}")
    for path in sorted(out.rglob("*")):
        if path.is_file() and path.suffix in (".docx", ".pdf", ".ofd"):
            lines.append(f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {path.relative_to(out)}")
    return lines


if __name__ == "__main__":
    print("\n".join(main(Path(sys.argv[1]))))
