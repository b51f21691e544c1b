"""Running a pure function over many notes on every core, when there are enough to pay for it."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import TypeVar

Job = TypeVar("Job")
Result = TypeVar("Result")

# Below this many jobs per extra process, starting processes costs more than it saves.
JOBS_PER_PROCESS = 40


def map_jobs(
    function: Callable[[Job], Result],
    jobs: Sequence[Job],
    progress: Callable[[int, int], None] | None = None,
    per_process: int | None = None,
) -> list[Result]:
    """``[function(job) for job in jobs]``, in order, in several processes when it pays.

    ``per_process``: how many jobs make starting one more process worth it (big jobs: 1).
    """
    workers = min(len(jobs) // (per_process or JOBS_PER_PROCESS), os.cpu_count() or 1)
    results: list[Result] = []
    if workers < 2:
        for index, job in enumerate(jobs):
            _report(progress, index, len(jobs))
            results.append(function(job))
    else:
        from concurrent.futures import ProcessPoolExecutor  # slow to import: only when used
        from multiprocessing import get_context

        # forkserver: workers forked from a clean process, never from one that runs threads
        with ProcessPoolExecutor(workers, mp_context=get_context("forkserver")) as pool:
            for index, result in enumerate(pool.map(function, jobs, chunksize=1 if per_process == 1 else 8)):
                _report(progress, index, len(jobs))
                results.append(result)
    _report(progress, len(jobs), len(jobs))
    return results


def _report(progress: Callable[[int, int], None] | None, done: int, total: int) -> None:
    if progress is not None:
        progress(done, total)
