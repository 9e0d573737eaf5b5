"""The child processes batch_notices.py times: docgen's public API, docxtpl as its docs advise, and
LibreOffice driven through unoserver (the client side; batch_notices.py runs the servers).

    python benchmarks/contenders.py docgen DATA OUT --format docx --jobs 2 [--cluster local:2]
    python benchmarks/contenders.py docxtpl TEMPLATE DATA OUT [--part 0 --parts 2]
    python benchmarks/contenders.py unoserver OUT SOURCE.docx... --port 2003 [--port 2005]

Each is a fresh interpreter per run (imports included), like a user's command. Exit status 1 when
the run reports a failed record; batch_notices.py then counts and opens every file written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

# The docxtpl template: the same notice text as docgen's templates/notice, in docxtpl's Jinja tags.
NOTICE_PARAGRAPHS = (
    "关于召开{{ meeting.name }}的通知",
    "{{ branch.name }}：",
    "为认真贯彻落实上级关于开展{{ campaign.name }}的统一部署，经{{ organization.short_name }}研究，定于"
    "{{ meeting.date }}召开{{ meeting.name }}，{{ meeting.speaker.post }}{{ meeting.speaker.name }}同志作动员讲话。"
    "现将有关事项通知如下：",
    "一、会议时间：{{ meeting.date }}{{ meeting.time }}。",
    "二、会议地点：{{ meeting.place }}。",
    "三、参会人员：{{ branch.name }}{{ meeting.attendees }}。",
    "四、有关要求：{% for item in meeting.preparations %}{{ loop.index }}.{{ item }}"
    "{% if not loop.last %}；{% else %}。{% endif %}{% endfor %}",
    "联系人：{{ meeting.contact.name }}，联系电话：{{ meeting.contact.phone }}。请{{ branch.secretary }}同志"
    "接到通知后，于会前一日将参会人员名单报{{ organization.office }}。",
    "{{ organization.name }}",
    "{{ meeting.notice_date }}",
)


def make_docxtpl_template(path: Path) -> None:
    """A Word template (python-docx's default document) carrying the notice text."""
    import docx

    document = docx.Document()
    for text in NOTICE_PARAGRAPHS:
        document.add_paragraph(text)
    document.save(str(path))


def run_docgen(args: argparse.Namespace) -> int:
    import docgen

    manifest = docgen.batch(args.data, template=args.template, each=args.each, formats=(args.format,), out=args.out,
                            jobs=args.jobs, force=True, warn=lambda message: None, cluster=args.cluster)
    failed = [d for d in manifest["documents"] if d["status"] == "failed"]
    for document in failed[:5]:
        print(f"failed: {document['record']}: {document.get('error')}", file=sys.stderr)
    return 1 if failed else 0


def run_docxtpl(args: argparse.Namespace) -> int:
    """One DocxTemplate, render() + save() per record: docxtpl's documented way ("Multiple rendering":
    since v0.15 a DocxTemplate is created once and render(context) called several times; render()
    reloads the template's package itself)."""
    from docxtpl import DocxTemplate

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the fast loader: the peer's data costs no more
    data = yaml.load(Path(args.data).read_text(encoding="utf-8"), Loader=loader)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    template = DocxTemplate(args.template)
    shared = {"meeting": data["meeting"], "organization": data["organization"], "campaign": data["campaign"]}
    for index, branch in enumerate(data["branches"], 1):
        if (index - 1) % args.parts != args.part:
            continue
        template.render({**shared, "branch": branch})
        template.save(str(out / f"{index:04d}_{branch['name']}.docx"))
    return 0


def run_unoserver(args: argparse.Namespace) -> int:
    """Each SOURCE to OUT/<stem>.pdf through running unoservers (XML-RPC), from this one process: one
    `UnoClient` and one thread per server, the files dealt round-robin. The server converts a local path
    into a local path (no file data over XML-RPC). update_index=False: `soffice --convert-to` does not
    update indexes either (the notices have none)."""
    from concurrent.futures import ThreadPoolExecutor

    from unoserver.client import UnoClient

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    sources = [Path(s) for s in args.sources]

    def convert(part: int) -> None:
        client = UnoClient(server="127.0.0.1", port=args.port[part], host_location="local")
        for source in sources[part :: len(args.port)]:
            client.convert(inpath=str(source), outpath=str(out / f"{source.stem}.pdf"), update_index=False)

    with ThreadPoolExecutor(len(args.port)) as pool:
        for future in [pool.submit(convert, part) for part in range(len(args.port))]:
            future.result()
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="contender", required=True)
    one = sub.add_parser("docgen")
    one.add_argument("data")
    one.add_argument("out")
    one.add_argument("--format", choices=("docx", "pdf"), required=True)
    one.add_argument("--jobs", type=int, required=True)
    one.add_argument("--cluster", default=None, help="a Dask scheduler address or local:N (benchmarks/cluster.py)")
    one.add_argument("--template", default="notice")
    one.add_argument("--each", default="branches")
    two = sub.add_parser("docxtpl")
    two.add_argument("template")
    two.add_argument("data")
    two.add_argument("out")
    two.add_argument("--part", type=int, default=0, help="render records whose 0-based index %% parts == part")
    two.add_argument("--parts", type=int, default=1)
    three = sub.add_parser("unoserver")
    three.add_argument("out")
    three.add_argument("sources", nargs="+")
    three.add_argument("--port", action="append", required=True, help="a unoserver's XML-RPC port; one per server")
    args = parser.parse_args()
    run = {"docgen": run_docgen, "docxtpl": run_docxtpl, "unoserver": run_unoserver}[args.contender]
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
