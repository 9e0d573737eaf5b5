"""libyaml's problem texts, so a Chinese line does not carry an English fragment.

libyaml (the C scanner and parser behind PyYAML's CSafeLoader) reports a syntax error as one of a fixed
set of English sentences, with no code; its marks give the line. These are the ones a hand-edited
campaign file meets; each is a catalog message (``N_``), translated where the error is shown, and any
other problem text is shown as libyaml wrote it.
"""

from __future__ import annotations

import re

from docgen.i18n import N_, gettext

KNOWN = (
    N_("mapping values are not allowed in this context"),
    N_("mapping values are not allowed here"),
    N_("did not find expected key"),
    N_("did not find expected ',' or ']'"),
    N_("did not find expected ',' or '}'"),
    N_("did not find expected '-' indicator"),
    N_("did not find expected node content"),
    N_("did not find expected comment or line break"),
    N_("could not find expected ':'"),
    N_("found character that cannot start any token"),
    N_("found a tab character that violates indentation"),
    N_("found a tab character where an indentation space is expected"),
    N_("found undefined tag handle"),
    N_("found unexpected end of stream"),
    N_("found unexpected ':'"),
    N_("found unknown escape character"),
    N_("block sequence entries are not allowed in this context"),
    N_("mapping keys are not allowed in this context"),
    N_("control characters are not allowed"),
    N_("found duplicate anchor; first occurrence"),
    N_("found undefined alias"),
    N_("invalid YAML"),
)


# PyYAML's safe constructor names the tag it refuses (`!!python/name:os.system`: data is never code).
_UNKNOWN_TAG = re.compile(r"could not determine a constructor for the tag (?P<tag>'[^']*'|\S+)")
UNKNOWN_TAG = N_("unknown tag {tag}: a data file holds data, never code")


def problem_text(problem: str) -> str:
    """libyaml's ``problem`` in the current language (as written when the catalog does not know it)."""
    unknown = _UNKNOWN_TAG.fullmatch(problem)
    if unknown:
        return gettext(UNKNOWN_TAG).format(tag=unknown.group("tag"))
    return gettext(problem) if problem in KNOWN else problem
