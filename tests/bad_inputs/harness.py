"""Run one bad-input case through the real CLI and judge what happened.

A case is a small file whose first lines say what it must give (`# key: value` in YAML,
`{# key: value #}` in a template):

- ``about``: what the case is; ``command``: the CLI arguments, with {data} {out} {templates} {case};
- ``exit``: the exit code it must end with (1 bad input, 2 bad usage, 0 handled as text);
- ``error``: words the single `error:` line must hold; ``line``: the line number it must name;
- ``stderr``: words stderr must hold (warnings); ``contains``/``absent``: text the produced DOCX
  must (not) hold;
- ``base: example`` with ``replace: OLD => NEW`` lines: the example campaign with those edits;
- ``generate``: a file made at run time (``huge``, ``bom``, ``deep``); ``env: KEY=VALUE``;
  ``out``: ``file`` (the output path is a file) or a path that cannot be written;
- ``zh``: words the Chinese error line must hold (the case run under LANG=zh_CN.UTF-8);
- ``base: roster``: the roster example (campaign-roster.yaml with 名册.xlsx), ``replace`` as above;
- ``file: NAME <= KIND``: a hostile file (``hostile.py``: a zip, image or XML bomb) made at run time
  as NAME in the case's folder; the error must then name NAME;
- ``limit-mib``, ``limit-seconds``: the most the command may take, measured on its process (peak
  resident memory of it and its children, ``os.wait4``; wall time from start to exit).
- ``slow``: why the case runs long (it runs to a bound): marked ``slow``, left out of `make check`.

Every case runs under a 3 GB address-space limit (a bomb that gets through cannot take the
machine) and is stopped after 600 s, or after 30 s past six times its ``limit-seconds``.

Every case runs in English (LANG=C.UTF-8) and in Chinese (LANG=zh_CN.UTF-8): the same exit code, the
same one line naming the same file and line, and the Chinese line in Chinese (``错误：…``).
"""

from __future__ import annotations

import os
import re
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from .. import cli

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
EXAMPLE = ROOT / "examples" / "wadian"
CATEGORIES = ("yaml", "schema", "templates", "markup", "paths", "hostile")
MEMORY_LIMIT = 3_000_000_000
_HEADER = {".yaml": re.compile(r"^#\s*([\w-]+):\s?(.*)$"), ".j2": re.compile(r"^\{#\s*([\w-]+):\s?(.*?)\s*#\}$")}


@dataclass
class Case:
    path: Path
    category: str
    meta: dict[str, list[str]] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.path.name.split(".")[0]

    def get(self, key: str, default: str = "") -> str:
        return self.meta.get(key, [default])[0]


@dataclass
class Outcome:
    case: Case
    code: int
    stdout: str
    stderr: str
    traceback: bool
    outside: list[str]
    partial: list[str]
    produced_text: str
    peak_mib: float = 0.0  # the command's peak resident memory (its children's included)
    seconds: float = 0.0  # wall time from start to exit
    stopped: bool = False  # killed at the harness's time limit


def load_cases() -> list[Case]:
    cases = []
    for category in CATEGORIES:
        for path in sorted((HERE / category).iterdir()):
            if path.suffix not in (".yaml", ".j2"):
                continue
            pattern = _HEADER[path.suffix]
            meta: dict[str, list[str]] = {}
            for raw in path.read_bytes().split(b"\n"):
                match = pattern.match(raw.decode("utf-8", errors="replace").strip())
                if not match:
                    break
                meta.setdefault(match.group(1), []).append(match.group(2))
            cases.append(Case(path, category, meta))
    return cases


def _data_for(case: Case, folder: Path) -> Path:
    data = folder / "campaign.yaml"
    shutil.copy(EXAMPLE / "seal.png", folder / "seal.png")
    kind = case.get("generate")
    example = (EXAMPLE / "campaign.yaml").read_text(encoding="utf-8")
    if kind == "huge":  # 50 MB: a long comment after a valid file
        with data.open("w", encoding="utf-8") as handle:
            handle.write(example)
            chunk = "# " + "长" * 1000 + "\n"
            for _ in range(50 * 1024 * 1024 // len(chunk.encode())):
                handle.write(chunk)
    elif kind == "bom":
        data.write_bytes(b"\xef\xbb\xbf" + example.encode("utf-8"))
    elif kind == "deep":
        data.write_text("a: " + "[" * 20000 + "]" * 20000 + "\n", encoding="utf-8")
    elif case.get("base") in ("example", "roster"):
        text = example
        if case.get("base") == "roster":
            text = (EXAMPLE / "campaign-roster.yaml").read_text(encoding="utf-8")
            shutil.copy(EXAMPLE / "名册.xlsx", folder / "名册.xlsx")
        for rule in case.meta.get("replace", []):
            old, new = (part.replace("\\n", "\n") for part in re.split(r" =>(?: |$)", rule, maxsplit=1))
            assert old in text, f"{case.path.name}: '{old}' is not in the example"
            text = text.replace(old, new, 1)
        data.write_text(text, encoding="utf-8")
    elif case.category == "templates":
        shutil.copy(EXAMPLE / "campaign.yaml", data)
    else:
        shutil.copy(case.path, data)
    for rule in case.meta.get("file", []):
        from .hostile import made

        name, kind = (part.strip() for part in rule.split("<=", 1))
        made(kind, folder / name)
    return data


def generated_names(case: Case) -> list[str]:
    return [rule.split("<=", 1)[0].strip() for rule in case.meta.get("file", [])]


def _snapshot(folder: Path, skip: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if skip not in p.parents and p != skip}


def _whole(path: Path) -> bool:
    if path.name.startswith(".") or path.suffix == ".part":
        return False
    if path.suffix == ".docx":
        return zipfile.is_zipfile(path)
    if path.suffix == ".pdf":
        data = path.read_bytes()
        return data.startswith(b"%PDF") and b"%%EOF" in data[-64:]
    return True


LOCALES = {"en": "C.UTF-8", "zh": "zh_CN.UTF-8"}
ERROR_PREFIX = {"en": "error:", "zh": "错误："}


def run(case: Case, workdir: Path, lang: str = "en") -> Outcome:
    """Run the case's command in ``workdir`` under ``lang``'s locale and collect what the judges look at."""
    workdir.mkdir(parents=True, exist_ok=True)
    data = _data_for(case, workdir)
    templates = workdir / "tpl"
    if case.category == "templates":
        (templates / "speeches").mkdir(parents=True)
        shutil.copy(case.path, templates / "speeches" / case.path.name)
    out = workdir / "out"
    special = case.get("out")
    if special == "file":
        out.write_text("not a folder\n", encoding="utf-8")
    elif special:
        out = Path(special)
    default = "render {data} --speech cxzy-mobilization -o {out}"
    if case.category == "templates":
        default = "render {data} --speech {case} --templates {templates} -o {out}"
    values = {"data": data, "out": out, "templates": templates, "case": case.name}
    command = re.sub(r"\{(data|out|templates|case)\}", lambda m: str(values[m.group(1)]), case.get("command", default))
    env = {key: value for key, value in os.environ.items()
           if key not in ("DOCGEN_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES")}
    env = {**env, "LANG": LOCALES[lang], **dict(item.split("=", 1) for item in case.meta.get("env", []))}
    before = _snapshot(workdir, out)
    limit = case.get("limit-seconds")
    ended = cli.run(command.split(), cwd=workdir, env=env, timeout=30 + 6 * float(limit) if limit else 600,
                    new_session=True, memory=MEMORY_LIMIT)
    outside = sorted(_snapshot(workdir, out) - before)
    produced = sorted(p for p in out.rglob("*") if p.is_file()) if out.is_dir() and not special else []
    partial = [str(p) for p in produced if not _whole(p) and p.name not in ("manifest.json", "manifest.csv")]
    text = ""
    for path in produced:
        if path.suffix == ".docx" and zipfile.is_zipfile(path):
            import docx

            text += "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    return Outcome(case, ended.code, ended.stdout, ended.stderr, "Traceback" in ended.stderr, outside, partial, text,
                   ended.peak_mib, ended.seconds, ended.stopped)


def error_lines(outcome: Outcome, lang: str = "en") -> list[str]:
    return [line for line in outcome.stderr.splitlines() if line.startswith(ERROR_PREFIX[lang])]


_SPOT = re.compile(r"(?:^|[\s(（“'：，])(/\S+?\.(?:yaml|j2|docx|xlsx|ods|csv|png))(:\d+)?")


def spot(line: str, workdir: Path) -> tuple[str, str] | None:
    """The file (relative to the case's folder) and line an error names, if it names one."""
    found = _SPOT.search(re.sub(r"/proc/\d+", "/proc/PID", line.replace(str(workdir), "/WORK")))
    return (found.group(1), found.group(2) or "") if found else None


def problems_in_chinese(outcome: Outcome, english: Outcome, workdirs: tuple[Path, Path]) -> list[str]:
    """The Chinese run against the English one: same exit code, one 错误 line naming the same spot,
    in Chinese (characters the English line does not have), and the case's ``zh`` words."""
    case, found = outcome.case, []
    if outcome.code != english.code:
        found.append(f"exit {outcome.code} under zh, {english.code} under en: {outcome.stderr.strip()[-300:]}")
    if outcome.traceback:
        found.append("a Python traceback on stderr (zh)")
    if english.code == 0 or int(case.get("exit", "1")) == 0:
        return found
    errors = error_lines(outcome, "zh")
    if len(errors) != 1:
        found.append(f"expected one 错误 line, got {len(errors)}: {outcome.stderr.strip()[-300:]}")
        return found
    message, original = errors[0], (error_lines(english) or [""])[0]
    if spot(message, workdirs[1]) != spot(original, workdirs[0]):
        found.append(f"a different spot under zh: {message!r} / {original!r}")
    if case.get("line") and f":{case.get('line')}:" not in message:
        found.append(f"the zh error should name line {case.get('line')}: {message}")
    own = set(re.findall(r"[\u4e00-\u9fff]", message.removeprefix("错误："))) - set(original)
    if not own:
        found.append(f"no Chinese words of its own: {message}")
    english_left = re.findall(r"[A-Za-z]{3,}(?: [A-Za-z]{2,})+", re.sub(r"`[^`]*`|'[^']*'|\S*[/.]\S*", "", message))
    if english_left:
        found.append(f"English words in the zh error: {english_left}: {message}")
    for words in case.meta.get("zh", []):
        if words not in message:
            found.append(f"the zh error should say {words!r}: {message}")
    return found


def problems(outcome: Outcome) -> list[str]:
    """Everything this outcome does wrong against its case; empty when it behaves."""
    case, found = outcome.case, []
    expected = int(case.get("exit", "1"))
    if outcome.stopped:
        found.append(f"stopped after {outcome.seconds:.0f} s")
    if case.get("limit-mib") and outcome.peak_mib > float(case.get("limit-mib")):
        found.append(f"peak memory {outcome.peak_mib:.0f} MiB, limit {case.get('limit-mib')} MiB")
    if case.get("limit-seconds") and outcome.seconds > float(case.get("limit-seconds")):
        found.append(f"took {outcome.seconds:.1f} s, limit {case.get('limit-seconds')} s")
    if outcome.code != expected:
        found.append(f"exit {outcome.code}, expected {expected}: {outcome.stderr.strip()[-300:]}")
    if outcome.traceback:
        found.append("a Python traceback on stderr")
    if outcome.outside:
        found.append(f"files written outside the output folder: {outcome.outside}")
    if outcome.partial:
        found.append(f"partial files: {outcome.partial}")
    errors = error_lines(outcome)
    if expected != 0:
        if len(errors) != 1:
            found.append(f"expected one error line, got {len(errors)}: {outcome.stderr.strip()[-300:]}")
        message = errors[0] if errors else ""
        for words in case.meta.get("error", []):
            if words not in message:
                found.append(f"the error should say {words!r}: {message}")
        if case.get("line") and f":{case.get('line')}:" not in message:
            found.append(f"the error should name line {case.get('line')}: {message}")
        names_file = re.search(r"\.(yaml|j2)(:\d+| \(rendered\))?:", message) or "no template" in message
        generated = generated_names(case)
        if generated:
            names_file = any(name in message for name in generated)
        if case.category != "paths" and not names_file:
            found.append(f"the error should name the file: {message}")
    for words in case.meta.get("stderr", []):
        if words not in outcome.stderr:
            found.append(f"stderr should say {words!r}")
    for words in case.meta.get("contains", []):
        if words not in outcome.produced_text:
            found.append(f"the document should hold {words!r} as text")
    for words in case.meta.get("absent", []):
        if words in outcome.produced_text:
            found.append(f"the document should not hold {words!r}")
    return found
