"""The template sandbox: Jinja's immutable sandbox, with bounds on arithmetic (as it bounds ``range()``)
and a mapping's keys before its methods.

Free-form data (``extra``, a roster's ``branch.extra``/``member.extra``) names its keys as the office
likes: ``extra.items`` must be the data's ``items``, not ``dict.items`` (Jinja tries the attribute
first, and printed 「'builtin_function_or_method' object is not iterable」). A method is still there
when no key has its name (``extra.items()``), and ``extra | items`` always is.

A time limit (``templating._bounded_time``, a SIGALRM) only stops Python between bytecodes: one
multiplication of huge integers, or one repetition of a string a thousand million times, runs to its
end in C, however long it takes and however much memory it needs. Worse, Jinja computes constant
expressions while compiling (``nodes.BinExpr.as_const``), so ``{{ (10 ** 100000000) % 7 }}`` ran for
minutes before any limit applied. Jinja's sandbox folds no operator it intercepts
(``intercepted_binops``) and calls ``call_binop`` for it at run time instead: here ``**`` and ``*``
are intercepted and refused when their result would be huge, before Python computes it.
"""

from __future__ import annotations

import math
from typing import Any

from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from docgen.i18n import _

MAX_BITS = 100_000  # an integer of ~30,000 digits: no document needs more (Python prints at most 4,300)
MAX_REPEAT = 10_000_000  # characters or items a repetition may make: templating.MAX_OUTPUT_CHARS


class Sandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, with ``**`` and ``*`` checked before they compute, and a mapping's key
    found before a method of the same name."""

    intercepted_binops = frozenset({"**", "*"})

    def getattr(self, obj: Any, attribute: str) -> Any:
        if isinstance(obj, dict) and attribute in obj:
            return obj[attribute]
        return super().getattr(obj, attribute)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**":
            _check_power(left, right)
        elif operator == "*":
            _check_product(left, right)
        return super().call_binop(context, operator, left, right)


def _is_int(value: Any) -> bool:
    return isinstance(value, int)  # bool too


def _check_power(base: Any, exponent: Any) -> None:
    if _is_int(base) and _is_int(exponent) and exponent > 0 and abs(base) > 1:
        bits = exponent * math.log2(abs(base))
        if bits > MAX_BITS:
            raise SecurityError(_("a power too large: the result would have about {bits} bits; a template may "
                                  "compute numbers of at most {most} bits").format(bits=_count(bits), most=MAX_BITS))


def _check_product(left: Any, right: Any) -> None:
    if _is_int(left) and _is_int(right):
        bits = left.bit_length() + right.bit_length()
        if bits > MAX_BITS:
            raise SecurityError(_("a product too large: the result would have about {bits} bits; a template may "
                                  "compute numbers of at most {most} bits").format(bits=_count(bits), most=MAX_BITS))
        return
    for sequence, count in ((left, right), (right, left)):
        if isinstance(sequence, (str, list, tuple)) and _is_int(count) and len(sequence) * count > MAX_REPEAT:
            raise SecurityError(_("a repetition too large: {count} characters or items; a template may make at "
                                  "most {most}").format(count=_count(len(sequence) * count), most=MAX_REPEAT))


def _count(value: float) -> str:
    """A large count as digits (a float's ``{:.0f}`` of 1e+300 would print 301 of them)."""
    return f"{value:.3g}" if value >= 1e15 else f"{value:.0f}"
