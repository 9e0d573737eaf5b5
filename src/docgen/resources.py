"""Where the built-in templates and speeches live: inside the installed package, or in a checkout."""

from __future__ import annotations

from functools import cache
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


@cache
def builtin_dir(name: str) -> Path:
    """``templates`` or ``speeches``: the wheel ships them in the package, a checkout at its top level."""
    for candidate in (PACKAGE_DIR / name, PACKAGE_DIR.parents[1] / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"built-in folder '{name}' is missing from this installation")
