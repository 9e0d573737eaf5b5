"""The tests' own reading and writing of YAML (a campaign edited for a case): PyYAML with libyaml, as
docgen's loader reads it (sources/yaml.py), 5–7× faster than the pure-Python safe_load/safe_dump the tests
called a few hundred times (about 8 s of `make check`'s CPU). The same values and, for the files the tests
write, the same text."""

from __future__ import annotations

from typing import Any

import yaml


def load(stream: Any) -> Any:
    return yaml.load(stream, Loader=yaml.CSafeLoader)


def dump(data: Any, stream: Any = None, **options: Any) -> Any:
    return yaml.dump(data, stream, Dumper=yaml.CSafeDumper, **options)
