"""Progress of a run: a callback, a tqdm bar when tqdm is installed, or nothing.

The pipeline counts runs (a strategy of a replication at a sweep point); the number
planned grows when sequential sampling adds replications. Callbacks are called on the
thread that called run(), never from the simulator's workers.
"""

from __future__ import annotations

import contextlib
from typing import Any, Callable, Iterator


def _tqdm() -> Any:
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return None
    return tqdm


@contextlib.contextmanager
def progress_reporter(
    progress: Any, name: str, planned: int = 0
) -> Iterator[Callable[[int, int], Any] | None]:
    if progress is None or progress is True:
        tqdm = _tqdm()
        if tqdm is None:
            if progress is True:
                raise ImportError("progress=True needs tqdm (Debian: python3-tqdm)")
            yield None  # silent: no tqdm
            return
        bar = tqdm(total=planned, desc=name, unit="run", leave=True)

        def update(done: int, planned: int) -> None:
            if planned != bar.total:
                bar.total = planned
            bar.update(done - bar.n)

        try:
            yield update
        finally:
            bar.close()
        return
    if progress is False:
        yield None
        return
    if not callable(progress):
        raise TypeError("progress: a callable progress(done, planned), True, False or None")
    yield progress
