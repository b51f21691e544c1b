"""The time a build stamps on changed notes: injectable, so tests never wait for a second to pass.

Anki updates a note on import only when the package's mtime (whole seconds) is strictly newer
than the one it has, and a future mtime would win against every later edit. So a changed note
gets "now", and when now is not newer than what the note had, the clock waits for the next
second rather than write a future one.
"""

from __future__ import annotations

import time


class Clock:
    """Whole seconds, from ``now`` (a function returning seconds); ``sleep`` waits."""

    def __init__(self, now=time.time, sleep=time.sleep) -> None:
        self._now = now
        self._sleep = sleep

    def now(self) -> int:
        return int(self._now())

    def newer_than(self, previous: int) -> int:
        """A time strictly newer than ``previous`` and never in the future (it waits if it must)."""
        current = self._now()
        if previous >= int(current):
            self._sleep(previous + 1 - current + 0.01)
            current = self._now()
        return int(current)


class ManualClock(Clock):
    """A clock that only moves when asked to wait (for tests, and anything that must not sleep)."""

    def __init__(self, start: float | None = None) -> None:
        self.time = float(int(time.time())) if start is None else start
        super().__init__(lambda: self.time, self._advance)

    def _advance(self, seconds: float) -> None:
        self.time += seconds


def default() -> Clock:
    """The clock a build uses when none is given: the system's."""
    return Clock()
