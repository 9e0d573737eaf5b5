"""Font roles: the office font name a DOCX names, and the real file a PDF embeds.

A DOCX only names fonts (仿宋_GB2312…) and the reader's machine supplies them. A PDF must embed
files: the user's own (``--font-dir``, or DOCGEN_FONT_DIR) matched by their family names, else the
open fonts the set-up installs (Fandol from texlive-lang-chinese), with Noto CJK SC as the declared
fallback so a rare character in a name still prints in a serif (or, for 黑体, a sans) face.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

FANDOL_DIRS = (
    "/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol",
    "/usr/share/texmf/fonts/opentype/public/fandol",
    "/usr/local/share/fonts/fandol",
)
FONT_SUFFIXES = (".otf", ".ttf", ".ttc", ".otc")


@dataclass(frozen=True)
class Role:
    """What a role is called in an office (DOCX) and which open file serves it in the PDF."""

    key: str
    label: str
    office_name: str  # the name Word/WPS look up
    matches: tuple[str, ...]  # family names (any language) that serve this role in a --font-dir
    open_file: str  # Fandol file name
    fallback_family: str  # fontconfig family used when a glyph is missing
    # The face Word and WPS take when ``office_name`` is not installed (the DOCX font table's altName):
    # every Windows machine in China has it (仿宋_GB2312 → 仿宋).
    alternate: str = ""
    fixed_pitch: bool = True  # the DOCX font table's pitch: the GB2312 faces are monospaced, 宋体 proportional


ROLES: dict[str, Role] = {
    r.key: r
    for r in (
        Role("title", "标题 小标宋", "方正小标宋简体",
             ("方正小标宋简体", "方正小标宋_GBK", "FZXiaoBiaoSong-B05S", "小标宋", "FZXBSJW"),
             "FandolSong-Bold.otf", "Noto Serif CJK SC", alternate="宋体", fixed_pitch=False),
        Role("body", "正文 仿宋", "仿宋_GB2312",
             ("仿宋_GB2312", "FangSong_GB2312", "仿宋", "FangSong", "方正仿宋_GBK", "方正仿宋简体"),
             "FandolFang-Regular.otf", "Noto Serif CJK SC", alternate="仿宋"),
        Role("kai", "楷体", "楷体_GB2312",
             ("楷体_GB2312", "KaiTi_GB2312", "楷体", "KaiTi", "方正楷体_GBK", "方正楷体简体"),
             "FandolKai-Regular.otf", "Noto Serif CJK SC", alternate="楷体"),
        Role("hei", "黑体", "黑体",
             ("黑体", "SimHei", "方正黑体_GBK", "方正黑体简体"),
             "FandolHei-Regular.otf", "Noto Sans CJK SC", alternate="SimHei"),
        Role("song", "宋体（页码）", "宋体",
             ("宋体", "SimSun", "方正书宋_GBK", "方正书宋简体"),
             "FandolSong-Regular.otf", "Noto Serif CJK SC", alternate="SimSun", fixed_pitch=False),
    )
}


@dataclass(frozen=True)
class ResolvedFont:
    """One role as this machine serves it."""

    role: Role
    file: Path | None  # None: only the fallback family is available
    source: str  # "font-dir", "open font", or "fallback only"

    @property
    def css_family(self) -> str:
        return f"docgen-{self.role.key}"


def _family_names(path: Path) -> set[str]:
    """All family names a font file declares (Chinese and English), read with fontTools."""
    from fontTools.ttLib import TTCollection, TTFont

    names: set[str] = set()
    try:
        fonts = TTCollection(str(path)).fonts if path.suffix.lower() in (".ttc", ".otc") else [TTFont(str(path))]
    except Exception:  # a corrupt or foreign file in a user folder is skipped, not fatal
        return names
    for font in fonts:
        for record in font["name"].names:
            if record.nameID in (1, 4, 16):
                try:
                    names.add(record.toUnicode().strip())
                except UnicodeDecodeError:
                    continue
    return names


def _fandol_file(name: str) -> Path | None:
    for folder in FANDOL_DIRS:
        candidate = Path(folder) / name
        if candidate.is_file():
            return candidate
    return None


@lru_cache(maxsize=8)
def resolve(font_dir: str | None = None) -> dict[str, ResolvedFont]:
    """Role → file, once per process and font folder (reading name tables is not free)."""
    font_dir = font_dir or os.environ.get("DOCGEN_FONT_DIR") or None
    user_files: list[tuple[Path, set[str]]] = []
    if font_dir:
        for path in sorted(Path(font_dir).rglob("*")):
            if path.suffix.lower() in FONT_SUFFIXES and path.is_file():
                user_files.append((path, _family_names(path)))
    resolved: dict[str, ResolvedFont] = {}
    for key, role in ROLES.items():
        chosen: ResolvedFont | None = None
        for wanted in role.matches:  # in order of preference
            hit = next((p for p, names in user_files if wanted in names), None)
            if hit:
                chosen = ResolvedFont(role, hit, "font-dir")
                break
        if chosen is None:
            open_file = _fandol_file(role.open_file)
            chosen = ResolvedFont(role, open_file, "open font" if open_file else "fallback only")
        resolved[key] = chosen
    return resolved


@lru_cache(maxsize=16)
def _cmap(path: str) -> frozenset[int]:
    from fontTools.ttLib import TTCollection, TTFont

    p = Path(path)
    if p.suffix.lower() in (".ttc", ".otc"):
        collection = TTCollection(path)
        font = next((f for f in collection.fonts if "SC" in f["name"].getDebugName(1) or ""), collection.fonts[0])
    else:
        font = TTFont(path, lazy=True)
    return frozenset(font.getBestCmap())


def fallback_file(family: str) -> Path | None:
    """The file fontconfig serves for a fallback family (for coverage checks)."""
    import subprocess

    try:
        out = subprocess.run(
            ["fc-match", "-f", "%{file}", f"{family}:lang=zh-cn"], capture_output=True, text=True, timeout=10
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    path = Path(out) if out else None
    return path if path and path.is_file() and family.split()[0].lower() in path.name.lower() else None


def missing_characters(font: ResolvedFont, text: str) -> tuple[set[str], set[str]]:
    """Characters the role's own file lacks (they print in the fallback) and those no font has."""
    wanted = {c for c in text if not c.isspace()}
    own = _cmap(str(font.file)) if font.file else frozenset()
    not_in_own = {c for c in wanted if ord(c) not in own}
    fallback = fallback_file(font.role.fallback_family)
    spare = _cmap(str(fallback)) if fallback else frozenset()
    return not_in_own, {c for c in not_in_own if ord(c) not in spare}
