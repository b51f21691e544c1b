"""Running a pure function over many notes on every core, when there are enough to pay for it."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

Job = TypeVar("Job")
Result = TypeVar("Result")

# Below this many jobs per extra process, starting processes costs more than it saves.
JOBS_PER_PROCESS = 40


def map_jobs(
    function: Callable[[Job], Result],
    jobs: Sequence[Job],
    progress: Callable[[int, int], None] | None = None,
) -> Iterator[Result]:
    """``function(job) for job in jobs``, in order, in several processes when it pays.

    Results are yielded as they come, so the caller can store each and let it go.
    """
    workers = min(len(jobs) // JOBS_PER_PROCESS, os.cpu_count() or 1)
    if workers < 2:
        for index, job in enumerate(jobs):
            _report(progress, index, len(jobs))
            yield function(job)
    else:
        from concurrent.futures import ProcessPoolExecutor  # slow to import: only when used
        from multiprocessing import get_all_start_methods, get_context

        from notes2anki.files import watch_parent  # file locks and all: not for one process

        # Workers are the build's own children (fork where there is one), and each ends as soon
        # as the build does, even when the build is killed.
        context = get_context("fork" if "fork" in get_all_start_methods() else "spawn")
        with ProcessPoolExecutor(workers, mp_context=context, initializer=watch_parent, initargs=(os.getpid(),)) as pool:
            for index, result in enumerate(pool.map(function, jobs, chunksize=8)):
                _report(progress, index, len(jobs))
                yield result
    _report(progress, len(jobs), len(jobs))


def _report(progress: Callable[[int, int], None] | None, done: int, total: int) -> None:
    if progress is not None:
        progress(done, total)
