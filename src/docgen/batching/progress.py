"""Progress: a bar (done, rate, time left) on a terminal, plain lines otherwise (logs, CI), and an
optional callback (``docgen serve`` shows a progress bar in the page)."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

import click

from docgen.i18n import _


class Progress:
    def __init__(self, total: int, label: str, enabled: bool = True,
                 callback: Callable[[int, int], None] | None = None) -> None:
        self.total, self.done, self.started = total, 0, time.monotonic()
        self.callback = callback  # called with (done, total) at the start and after each document
        if callback:
            callback(0, total)
        self.enabled = enabled and total > 0
        self.tty = sys.stderr.isatty()
        self._bar = None
        self._last_line = 0.0
        if self.enabled and self.tty:
            self._bar = click.progressbar(
                length=total, label=label, file=sys.stderr, show_pos=True, show_eta=True,
                item_show_func=lambda _item: self._rate_text(),
            )
            self._bar.__enter__()
        elif self.enabled:
            click.echo(_("{label}: {total} documents").format(label=label, total=total), err=True)

    def _rate_text(self) -> str:
        elapsed = max(time.monotonic() - self.started, 1e-6)
        return _("{rate:.1f}/s").format(rate=self.done / elapsed)

    def advance(self, n: int = 1) -> None:
        self.done += n
        if self.callback:
            self.callback(self.done, self.total)
        if not self.enabled:
            return
        if self._bar is not None:
            self._bar.update(n, current_item=self.done)
            return
        now = time.monotonic()
        if now - self._last_line >= 2 or self.done == self.total:
            self._last_line = now
            elapsed = now - self.started
            rate = self.done / elapsed if elapsed else 0.0
            left = (self.total - self.done) / rate if rate else 0.0
            click.echo(_("{done}/{total} done, {rate:.1f}/s, about {left:.0f} s left").format(
                done=self.done, total=self.total, rate=rate, left=left), err=True)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None
