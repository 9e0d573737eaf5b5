"""Jinja's, its sandbox's and Python's problem texts, so a Chinese line does not carry English.

Jinja reports a template's syntax error, and its sandbox a refused access, as English sentences with
no code (Jinja has no translations); Python's arithmetic and operand errors likewise. These are the
ones a template author meets, matched by pattern against Jinja 3.1's wording and shown through the
catalog. A text that does not match as a whole is shown as written, so nothing is half translated
and an unknown wording never loses its information. Hand-written because no library translates
Jinja's messages; ``sources/yaml_problems.py`` does the same for libyaml's.
"""

from __future__ import annotations

import re

from docgen.i18n import N_, gettext, is_chinese

# Jinja's names for tokens (lexer.describe_token_expr), shown as what the author types.
TOKENS = {
    "end of print statement": "}}", "begin of print statement": "{{",
    "end of statement block": "%}", "begin of statement block": "{%",
    "end of comment": "#}", "begin of comment": "{#",
}
END_OF_TEMPLATE = N_("the end of the template")

# The sentences of a "block not closed" message, in Jinja's order (parser._fail_ut_eof).
_SENTENCES = (
    (re.compile(r"Encountered unknown tag '(?P<tag>[^']*)'\.\s*"), N_("unknown tag `{tag}`.")),
    (re.compile(r"Unexpected end of template\.\s*"), N_("the template ends before a block is closed.")),
    (re.compile(r"You probably made a nesting mistake\. Jinja is expecting this tag, but currently looking for "
                r"(?P<looking>.+?)\.\s*(?=The innermost|$)"),
     N_("Blocks are nested wrongly: the open block must first be closed with {looking}.")),
    (re.compile(r"Jinja was looking for the following tags: (?P<looking>.+?)\.\s*(?=The innermost|$)"),
     N_("Expected {looking}.")),
    (re.compile(r"The innermost block that needs to be closed is '(?P<block>[^']*)'\.\s*"),
     N_("The innermost open block is `{block}`.")),
)

# Whole messages.
_WHOLE = (
    (re.compile(r"unexpected end of template, expected '(?P<expected>.+)'\.?"),
     N_("the template ends where `{expected}` was expected")),
    (re.compile(r"expected token '(?P<expected>.+)', got '(?P<got>.+)'"), N_("expected `{expected}`, found `{got}`")),
    (re.compile(r"unexpected '(?P<found>.+)', expected '(?P<expected>.+)'"),
     N_("unexpected `{found}`, expected `{expected}`")),
    (re.compile(r"unexpected char '(?P<found>.+)' at \d+"), N_("unexpected character `{found}`")),
    (re.compile(r"unexpected '(?P<found>.+)'"), N_("unexpected `{found}`")),
    (re.compile(r"tag name expected"), N_("a tag name is expected after `{{%`")),
    (re.compile(r"No filter named '(?P<name>.+)'\.?"), N_("no filter named `{name}`")),
    (re.compile(r"No test named '(?P<name>.+)'\.?"), N_("no test named `{name}`")),
    (re.compile(r"block '(?P<name>.+)' defined twice"), N_("block `{name}` is defined twice")),
    (re.compile(r"access to attribute '(?P<attribute>.+)' of '(?P<type>.+)' object is unsafe\.?"),
     N_("a template may not use `{attribute}` of a `{type}` value")),
    (re.compile(r"Range too big\. The sandbox blocks ranges larger than MAX_RANGE \((?P<most>\d+)\)\.?"),
     N_("`range()` too big: a template may count to at most {most}")),
    (re.compile(r"(?P<thing>.+) is not safely callable"), N_("`{thing}` may not be called from a template")),
    (re.compile(r"(?:integer )?(?:division|modulo)(?: or modulo)? by zero|float (?:division|modulo) by zero"),
     N_("division by zero")),
    (re.compile(r"unsupported operand type\(s\) for (?P<op>\S+): '(?P<left>\w+)' and '(?P<right>\w+)'"),
     N_("cannot compute `{left} {op} {right}`")),
    (re.compile(r'can only concatenate str \(not "(?P<other>\w+)"\) to str'),
     N_("text and a `{other}` cannot be joined with `+`; join with `~`")),
)


def _token(description: str) -> str:
    """A Jinja token description as the author types it ('end of print statement' → '}}')."""
    description = description.strip("'")
    if description == "end of template":
        return gettext(END_OF_TEMPLATE)
    return TOKENS.get(description, description)


def _looking(text: str) -> str:
    """Jinja's "'endfor' or 'else'" as "`endfor` or `else`" (the "or" through the catalog)."""
    names = [f"`{_token(name)}`" for name in re.findall(r"'([^']*)'", text)]
    return gettext(N_(" or ")).join(names) if names else text


def problem_text(message: str) -> str:
    """``message`` in the current language, or as written when its wording is not a known one."""
    message = message.strip()
    for pattern, template in _WHOLE:
        match = pattern.fullmatch(message)
        if match:
            values = {key: _token(value) for key, value in match.groupdict().items()}
            return gettext(template).format(**values)
    parts, rest = [], message
    while rest:
        for pattern, template in _SENTENCES:
            match = pattern.match(rest)
            if match:
                values = dict(match.groupdict())
                if "looking" in values:
                    values["looking"] = _looking(values["looking"])
                parts.append(gettext(template).format(**values))
                rest = rest[match.end():]
                break
        else:
            return message
    return ("" if is_chinese() else " ").join(parts) if parts else message
