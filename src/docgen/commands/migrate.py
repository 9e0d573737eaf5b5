"""`docgen migrate FILE` and `docgen init --like`: a campaign file rewritten in place (comments and order kept)
and a copy of a shipped example. The upgrade itself is the schema's (``schema/migrate.py``); this module only
reads and writes the files, which is why it sits with the commands and not under the schema."""

from __future__ import annotations

STARTERS = ("jinqiao", "wadian")  # `docgen init --like`: the shipped examples a campaign can start from


def rewrite(path: str) -> list[str] | None:
    """``docgen migrate FILE``: rewrite an old campaign file in the new schema, comments and order kept.

    Returns the report of the values it wrote (``written_report``), or None when the file is already in
    the new schema (nothing written).
    """
    import io
    from pathlib import Path

    from ruamel.yaml.comments import CommentedMap

    from docgen import sources
    from docgen.files import output
    from docgen.schema.migrate import Written, is_old, upgrade, written_report
    from docgen.schema.starter import round_trip_yaml

    file = sources.resolve_data_path(path)
    yaml = round_trip_yaml()  # comments, order and quoting survive
    values = yaml.load(file.read_text(encoding="utf-8-sig"))
    if not is_old(values):
        return None
    written: list[Written] = []
    upgrade(values, CommentedMap, written)
    buffer = io.StringIO()
    yaml.dump(values, buffer)
    output.write_atomic(Path(file), buffer.getvalue().encode("utf-8"))
    return [line for _path, line in written_report(written, values)]


def starter(folder: str, like: str = "jinqiao") -> str:
    """A copy of a shipped example (``docgen init --like``); ``docgen.schema.starter`` writes the clean starter."""
    from docgen.schema.starter import from_example

    return from_example(folder, like)
