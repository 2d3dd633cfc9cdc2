"""Browser messages are untrusted: sliders keep their range, rejected state is refused.

Layer: widget (private). Imports the standard library only; works on any
ipywidgets widget.

Any client can send any state to any widget (a slider's ``max``, a toggle's
``index``, text for a number). Two guards, applied by the explorer's controls:
:func:`keep_bounds` puts a slider's ``min``, ``max`` and ``step`` back to the
range it was made with, so its ``value`` is clamped into it again; and
:func:`refuse_bad_messages` turns a message that ipywidgets' own checks reject
into a call of ``refused`` instead of an exception in the kernel's log. What a
message may still set (a value in range) the explorer's handlers check again.
"""

import contextlib
import math
from typing import NamedTuple


class Bounds(NamedTuple):
    """The range a slider is made with."""

    min: float
    max: float
    step: float


def keep_bounds(slider, bounds):
    """Put ``slider``'s ``min``, ``max`` and ``step`` back to ``bounds``; its value follows.

    ipywidgets clamps the value into the range again; a NaN value (a float
    slider takes one) becomes ``bounds.min``.

    Examples
    --------
    >>> import ipywidgets as widgets
    >>> slider = widgets.IntSlider(value=2, min=1, max=16)
    >>> slider.max, slider.value = 100_000, 100_000  # what any browser may send
    >>> keep_bounds(slider, Bounds(1, 16, 1))
    >>> slider.max, slider.value
    (16, 16)
    """
    if (slider.min, slider.max, slider.step) != bounds:  # NaN differs from everything
        with slider.hold_trait_notifications():  # min and max checked together, at the end
            slider.min, slider.max, slider.step = bounds
    if not math.isfinite(slider.value):
        slider.value = bounds.min


def refuse_bad_messages(widget, refused, handling=None):
    """Call ``refused(widget, exc)`` for a message ipywidgets rejects, instead of raising.

    ipywidgets applies a browser's message with ``widget.set_state(state)``
    (through ``self``, so an instance attribute takes its place); when its own
    checks fail it rolls the traits back and raises into the kernel's log. The
    wrapper catches that, sends the browser the widget's state again, and
    calls ``refused``. ``handling(widget, state)``, if given, is a context
    manager the whole handling runs in (the browser benchmark's trace).

    Examples
    --------
    >>> import ipywidgets as widgets
    >>> toggle, seen = widgets.ToggleButtons(options=["a", "b"]), []
    >>> refuse_bad_messages(toggle, lambda widget, exc: seen.append(str(exc)))
    >>> toggle.set_state({"index": 7})
    >>> toggle.index, seen
    (0, ['Invalid selection: index out of bounds'])
    """
    receive = widget.set_state

    def set_state(sync_data):
        with handling(widget, sync_data) if handling else contextlib.nullcontext():
            try:
                receive(sync_data)
            except Exception as exc:
                widget.send_state()
                refused(widget, exc)

    widget.set_state = set_state


def owned_widgets(widget):
    """Yield ``widget``, its layout and style, and those of its children, depth first.

    Examples
    --------
    >>> import ipywidgets as widgets
    >>> [type(w).__name__ for w in owned_widgets(widgets.HBox([widgets.Button()]))]
    ['HBox', 'Layout', 'Button', 'Layout', 'ButtonStyle']
    """
    yield widget
    for name in ("layout", "style"):
        part = getattr(widget, name, None)
        if part is not None and hasattr(part, "set_state"):
            yield part
    for child in getattr(widget, "children", ()):
        yield from owned_widgets(child)
