"""CPU time of the Word-template engine alone: compiling the example template, then N notices.

``word_template.py`` times whole batches (process start, data, zip, files) against docxtpl; on a
shared machine its seconds swing by a third between runs. This measures only what the engine does,
in CPU time of one process: ``wordtemplate.load`` once, then ``render`` for N branch records.
Compare two versions by alternating them, each from its own tree:

    for r in 1 2 3 4 5; do
      for tree in /path/to/before /path/to/after; do
        PYTHONPATH=$tree/src .venv/bin/python benchmarks/word_template_cpu.py --root $tree
      done
    done
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", type=Path, default=ROOT, help="the tree whose example data and template to use")
    parser.add_argument("--records", type=int, default=1000, help="notices to render (default 1000)")
    args = parser.parse_args()
    from docgen import pipeline, wordtemplate

    campaign = pipeline.load_campaign(args.root / "examples" / "wadian")
    template = str(args.root / "examples" / "word-template" / "会议通知.docx")
    started = time.process_time()
    word = wordtemplate.load(template)
    compiled = time.process_time()
    branches = campaign.model.branches
    allowed = frozenset(d.seal for d in campaign.model.documents.values() if d.seal)
    document, seal = word.document_for(campaign)
    base = {**campaign.context(), "draft": None, "document": document, "seal": seal}
    for index in range(args.records):
        branch = branches[index % len(branches)]
        word.render({**base, "branch": branch, "record": branch, "index": index + 1}, allowed)
    done = time.process_time()
    print(f"compile {1000 * (compiled - started):.1f} ms  render {1000 * (done - compiled) / args.records:.3f} ms "
          f"a notice ({args.records} notices, CPU time)")


if __name__ == "__main__":
    main()
