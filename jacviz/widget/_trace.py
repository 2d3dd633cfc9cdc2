"""Phase times of the explorer's work per browser message, for the browser benchmark.

Layer: widget (private). Imports the standard library only.

Off unless the kernel's environment names a file in ``JACVIZ_TRACE``: then
every browser message an explorer handles appends one JSON line to it -- the
widget and keys the message set, the ``time.perf_counter()`` of each phase of
the update it caused (``received``, ``update``, ``computed``, ``drawn``,
``encoded``, ``sent``, ``shown``, ``echoed``, ``handled``), facts about the
picture, and the milliseconds Python's garbage collector took meanwhile
(``gc_ms``, per generation). ``perf_counter`` is the machine's monotonic clock, the one
``benchmarks/bench_browser.py`` joins with the page's ``performance.now()``.
Off, a mark costs one attribute test and nothing is written.
"""

import contextlib
import gc
import json
import os
import time

#: The environment variable naming the trace file.
ENVIRONMENT = "JACVIZ_TRACE"


class Trace:
    """Record when each phase of a browser message's handling ends; write one line per message.

    Parameters
    ----------
    path : str or os.PathLike or None
        The JSON-lines file to append to; None records nothing.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     trace = Trace(pathlib.Path(folder) / "trace.jsonl")
    ...     with trace.message("batch B", ["value"]):
    ...         trace.mark("computed")
    ...         trace.note(render_count=2)
    ...     line = json.loads(trace.path.read_text())
    >>> sorted(line["marks"]), line["render_count"]
    (['computed', 'handled', 'received'], 2)
    """

    def __init__(self, path=None):
        self.path = path
        self._marks = None  # phase -> perf_counter while a message is handled, else None
        self._info = {}
        self._gc_start = 0.0

    @classmethod
    def from_environment(cls):
        """Return a trace writing to ``$JACVIZ_TRACE``, or one that records nothing."""
        return cls(os.environ.get(ENVIRONMENT) or None)

    def mark(self, phase, *args):
        """Note that ``phase`` ends now (extra arguments, as an observer gets, are ignored)."""
        if self._marks is not None:
            self._marks[phase] = time.perf_counter()

    def note(self, **info):
        """Add facts (JSON values) to the line of the message handled now."""
        if self._marks is not None:
            self._info.update(info)

    def _on_gc(self, phase, info):
        """Add each garbage collection's time to ``gc_ms`` (milliseconds per generation)."""
        if phase == "start":
            self._gc_start = time.perf_counter()
        elif self._marks is not None:
            self._info["gc_ms"][info["generation"]] += 1000 * (time.perf_counter() - self._gc_start)

    @contextlib.contextmanager
    def message(self, widget, keys):
        """Trace the handling of a browser message setting ``keys`` of ``widget`` (a name)."""
        if self.path is None or self._marks is not None:
            yield
            return
        self._marks, self._info = {"received": time.perf_counter()}, {"gc_ms": [0.0, 0.0, 0.0]}
        gc.callbacks.append(self._on_gc)
        try:
            yield
        finally:
            gc.callbacks.remove(self._on_gc)
            self._marks["handled"] = time.perf_counter()
            line = {"widget": widget, "keys": sorted(keys), "marks": self._marks, **self._info}
            self._marks = None
            with contextlib.suppress(OSError), open(self.path, "a", encoding="utf-8") as file:
                file.write(json.dumps(line) + "\n")  # an unwritable trace is no error
