"""The presets dropdown and its load button: the preset loaded is the one the page shows.

Layer: widget (private). Imports ipywidgets and traitlets.

The page side of ipywidgets sends a widget's state one message at a time: a
change made while the last one is unanswered waits, merged with later ones,
until the kernel is idle; a ``Button``'s click is a custom message and goes at
once (ipywidgets issue #252). So a held arrow key in the dropdown, then Tab and
Enter on a ``Button``, reached the kernel as: an early choice, the click, the
last choice -- and the kernel loaded the early preset while the page showed the
last one (the browser test without pacing: every run).

Here a press of "load preset" is state of the dropdown itself. The button is a
``ToggleButton`` (a plain ``<button>``, no ``aria-pressed``; its pressed look is
turned off in the page's CSS) whose value the page copies into the dropdown's
``loads`` (``jsdlink``, no custom JavaScript). The press then travels in the
dropdown's own ordered messages, with or after the choice the page shows, and
the kernel loads the choice that came with it.
"""

import ipywidgets as widgets
import traitlets


class PresetDropdown(widgets.Dropdown):
    """The presets dropdown; ``loads`` flips at each press of its load button, in the page."""

    loads = traitlets.Bool(
        False, help="Flips at each press of the load button; the page links it to the button."
    ).tag(sync=True)


class LoadButton(widgets.ToggleButton):
    """The "load preset" button: each press flips ``value``, which the page copies to ``loads``.

    ``link`` is that copy (an ipywidgets ``DirectionalLink``, run by the page);
    :meth:`click` is a press from Python, for scripts and tests.
    """

    def __init__(self, dropdown, **kwargs):
        super().__init__(**kwargs)
        self._dropdown = dropdown
        self.link = widgets.jsdlink((self, "value"), (dropdown, "loads"))

    def click(self):
        """Press the button as the page does: ``value`` flips, and the dropdown's ``loads``."""
        self.value = not self.value
        self._dropdown.loads = self.value


def preset_dropdown(names, custom):
    """Return the presets dropdown: ``custom`` first, then ``names``.

    Choosing only selects (arrow keys step through it): the load button applies.
    """
    return PresetDropdown(
        options=[custom, *names],
        value=custom,
        description="preset",
        tooltip="A teaching example; press the load button to apply it.",
    )


def load_button(dropdown):
    """Return the button that loads the preset chosen in ``dropdown``."""
    return LoadButton(
        dropdown,
        description="load preset",
        tooltip='Apply the chosen preset; "(your own formula)" brings back your formula and batch.',
    )


def chosen(dropdown):
    """Return the entry at the dropdown's ``index`` (None for none).

    Read from ``index``, the trait the page sends: when a press and a choice come
    in one message, the dropdown's ``value`` follows ``index`` only once the
    notifications run, maybe after the press's.

    Examples
    --------
    >>> dropdown = preset_dropdown(["sine"], "(own)")
    >>> dropdown.set_state({"index": 1})
    >>> chosen(dropdown)
    'sine'
    """
    index = dropdown.index
    return None if index is None else dropdown.options[index]
