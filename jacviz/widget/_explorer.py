"""``JacobianExplorer``: formula and batch in, live per-example heatmaps out.

Layer: widget (private). Imports numpy, ipywidgets, traitlets and the layers
below (errors, expressions, jacobians, plotting, presets, views).

One click, followed through this one object: a control's handler
(``_on_<control>_change``) only writes state -- the traitlets ``function``,
``x``, ``order``, ``constants``, ``data`` -- or asks for a picture; :class:`Updates`
merges the requests of one user action into one :meth:`_update`, which reads
all state, shows it in the controls, calls the pure layers and hands the
outcome to the :class:`Presenter`. No handler, observer or update raises.
docs/architecture.md tells the whole story.
"""

import contextlib
import functools
import gc

import ipywidgets as widgets
import numpy as np
import traitlets

from jacviz.errors import ExpressionError
from jacviz.plotting import save_figure
from jacviz.presets import PRESETS
from jacviz.widget._batch import MAX_PASTE, as_batch, parse_batch_text, resize_batch, shown_examples
from jacviz.widget._compute import (
    ORDERS,
    compute_error,
    compute_view,
    function_text,
    internal_error,
    parse,
)
from jacviz.widget._controls import COMPACT_FRAME, Controls, same_arrays
from jacviz.widget._data import check_data, data_fact, example_function, formulas_only, rows_for
from jacviz.widget._pictures import Pictures
from jacviz.widget._presenter import Presenter, Shown
from jacviz.widget._preset_choice import chosen
from jacviz.widget._snapshot import Snapshot, alt_text
from jacviz.widget._trace import Trace
from jacviz.widget._updates import Updates

RANDOM_SEED = 0
DPI = 100  # ~740 px wide for a 2 x 2 batch: readable when projected, still fast
LARGE_DPI = 150  # the large-text mode (projector): cells and numbers 1.5 times as big
COMPACT_BOXES = 0.85  # the compact layout's number boxes: 65 px instead of 76


def _handler(method):
    """Make ``method`` a control's handler: it skips the explorer's own writes, never raises."""

    @functools.wraps(method)
    def handle(self, *args):
        if self._updates.echoing:
            return
        try:
            method(self, *args)
        except Exception as exc:  # the last resort: shown in the error area, never raised
            self._refuse(internal_error("handle this", exc), stale=True)

    return handle


class JacobianExplorer(widgets.VBox):
    r"""An interactive batch-Jacobian explorer: type ``f``, set the batch ``x``, see ``J[b]``.

    The picture shows ``jac (B, m, n)``, ``hess (B, m, n, n)`` or the full
    Jacobian ``(B, m, B, n)`` of ``f`` at ``x``, and is redrawn, synchronously,
    whenever the state or a control changes. The controls are attributes by
    name (``batch_size_slider``, ``linear_map_toggle``, ...); what each one
    does is in docs/architecture.md.

    Parameters
    ----------
    function : str or callable, optional
        The formula for one example ``x`` (see :func:`jacviz.parse_function`),
        or a Python function of the whole batch.
    x : array_like, shape (B, n), optional
        The batch: ``1 <= B <= 16``, ``1 <= n <= 8``, real numbers within
        ``±1e6``. It is also what "reset" restores.
    order : {1, 2, "full"}, optional
        Per-example Jacobians, per-example Hessians, or the full Jacobian.
    constants : Mapping[str, array_like], optional
        Named constants the formula may use, e.g. ``{"W": ..., "b": ...}``.
    data : Mapping[str, array_like], optional
        Named per-example data the formula may use, e.g. a target per example
        ``{"t": t}``, each of shape ``(R, ...)`` with ``1 <= R <= 16`` rows of
        finite numbers. Example ``b`` uses row ``b mod R``, so a batch of any
        size has one row per example (the status line says which). For
        formulas only; set in code, never from the browser.
    view_cache : Mapping, optional
        How many drawn views the heatmap renderer keeps (``cached_views``,
        ``cache_bytes`` of :class:`jacviz.HeatmapGrid`), and the
        :class:`jacviz.plotting.ViewPool` it shares with other renderers
        (``pool``); its defaults (no pool) when omitted. A class server
        holding one explorer per student keeps few and shares one pool.
    compact : bool, optional
        Lay the explorer out for a slide: the controls in a 390 px column
        left of the picture, which is drawn at most 800 px wide and, but for
        the Hessians of 8 examples of 8 inputs, 560 px high, so the whole
        explorer fits 1280 × 800 px at 100 % zoom (the number boxes of more
        than 8 examples or 5 inputs scroll in their column).
    **kwargs
        Passed to :class:`ipywidgets.VBox` (e.g. ``layout``).

    Attributes
    ----------
    result : numpy.ndarray or None
        The derivative in the picture (read-only).
    error : str
        The message in the error area, ``""`` when all is well.
    render_count : int
        Pictures drawn so far, shown as ``render #<n>``.
    image : ipywidgets.Image
        The picture as PNG bytes.
    figure : matplotlib.figure.Figure or None
        The figure behind the picture on screen.

    Raises
    ------
    traitlets.TraitError
        If ``x`` is not such a batch, ``order`` is not 1, 2 or "full", or
        ``data`` is not such data (a bad formula is shown, never raised).
    TypeError
        If ``compact`` is not True or False.

    Examples
    --------
    >>> explorer = JacobianExplorer("x**3", [[4, 2], [1, 3]])
    >>> explorer.result
    array([[[48.,  0.],
            [ 0., 12.]],
    <BLANKLINE>
           [[ 3.,  0.],
            [ 0., 27.]]])

    A target per example: ``J[b] = diag(2 (x[b] − t[b]))``, and a batch of 3
    uses the 2 rows of ``t`` in turn:

    >>> explorer = JacobianExplorer("(x - t)**2", [[1.0], [1.0], [1.0]], data={"t": [[0], [3]]})
    >>> explorer.result.ravel()
    array([ 2., -4.,  2.])
    """

    function = traitlets.Union(
        [traitlets.Unicode(), traitlets.Callable()],
        default_value="x**3",
        help="The formula for one example x, or a Python function of the whole batch.",
    )
    x = traitlets.Union(
        [traitlets.Instance(np.ndarray), traitlets.List(), traitlets.Tuple()],
        help="The batch; stored as a read-only float ndarray of shape (B, n).",
    )
    order = traitlets.Union(
        [traitlets.Int(), traitlets.Unicode()],
        default_value=1,
        help='1 (Jacobian), 2 (Hessian) or "full" (full Jacobian).',
    )
    constants = traitlets.Dict(help="Named constants the formula may use.")
    data = traitlets.Dict(
        help="Named per-example data (R, ...) the formula may use; example b uses row b mod R."
    )
    result = traitlets.Instance(
        np.ndarray, allow_none=True, read_only=True, help="The derivative in the picture."
    )
    error = traitlets.Unicode("", read_only=True, help="The error shown; empty when fine.")
    render_count = traitlets.Int(0, read_only=True, help="Pictures drawn so far.")

    def __init__(
        self,
        function="x**3",
        x=((4, 2), (1, 3)),
        order=1,
        constants=None,
        *,
        data=None,
        view_cache=None,
        compact=False,
        **kwargs,
    ):
        if not isinstance(compact, bool | np.bool_):
            raise TypeError(f"compact must be True or False, not {compact!r}")
        self._updates = Updates(self._update)
        self._parsed = None  # the formula parsed with constants and data; None: parse again
        self._parsed_rows = None  # the batch size the data of the parsed formula fits
        self._own = None  # (function, x, constants, data) of the student's own, kept by a preset
        self._loaded = None  # (function, x, constants, data) as the last preset loaded them
        self._rng = np.random.default_rng(RANDOM_SEED)
        self._trace = Trace.from_environment()  # off unless $JACVIZ_TRACE names a file
        frame = COMPACT_FRAME if compact else None
        self._pictures = Pictures(DPI, mark=self._trace.mark, view_cache=view_cache, frame=frame)
        self._boxes = COMPACT_BOXES if compact else 1.0  # the number boxes' width, times 76 px
        handling = self._traced_message if self._trace.path else None
        self._controls = Controls(PRESETS, refused=self._on_refused_message, handling=handling)
        self._presenter = Presenter(self._controls)
        if self._trace.path:  # observers run once the new picture is on its way
            self._controls.image.observe(functools.partial(self._trace.mark, "sent"), "value")
        super().__init__(children=self._controls.layout(compact=bool(compact)), **kwargs)
        self._controls.batch_grid.set_scale(self._boxes)
        for name, control in self._controls.named():  # explorer.batch_size_slider, ...
            setattr(self, name, control)
        self.add_class("jacviz-explorer")
        self._controls.guard(self)
        self._wire(self._controls)
        with self._updates.one_action():
            self.constants = dict(constants or {})
            self.data = {} if data is None else _as_dict(data)
            self.function = function
            self.x = x
            self.order = order
            self._updates.request()
        self._initial_x = self.x

    def _wire(self, c):
        """Connect each control to its handler below."""
        c.function_text.observe(self._on_function_text_change, names="value")
        c.preset_dropdown.observe(self._on_preset_change, names="value")
        c.preset_dropdown.observe(self._on_preset_load, names="loads")  # the load button's
        for slider in (c.batch_size_slider, c.input_dim_slider):
            slider.observe(self._on_shape_change, names="value")
        c.batch_grid.on_entry_change(self._on_entry_change)
        c.random_button.on_click(self._on_random_click)
        c.reset_button.on_click(self._on_reset_click)
        c.paste_text.observe(self._on_paste_change, names="value")
        c.order_toggle.observe(self._on_order_toggle_change, names="value")
        c.linear_map_toggle.observe(self._on_linear_map_toggle_change, names="value")
        for slider in (c.map_example_slider, c.radius_slider):
            slider.observe(self._on_map_option_change, names="value")
        c.first_example_slider.observe(self._on_first_example_change, names="value")
        c.scale_checkbox.observe(self._on_scale_checkbox_change, names="value")
        c.fd_checkbox.observe(self._on_fd_checkbox_change, names="value")
        c.values_checkbox.observe(self._on_values_checkbox_change, names="value")
        c.large_checkbox.observe(self._on_large_checkbox_change, names="value")

    # ------------------------------------------------------------ handlers: controls -> state

    @_handler
    def _on_function_text_change(self, change):
        self.function = self.function_text.value

    @_handler
    def _on_preset_change(self, change):
        if self.preset_dropdown.value is None:  # no entry at all: a browser's index None
            self._echo_state()  # choosing a preset applies nothing; "load preset" does

    @_handler
    def _on_preset_load(self, change):
        preset = PRESETS.get(chosen(self.preset_dropdown))  # what the page showed at the press
        if preset is None:  # CUSTOM, or no entry at all (a browser's index None)
            self._restore_own()
            return
        if not self._as_loaded():  # the student's own work: "(your own formula)" restores it
            self._own = (self.function, self.x, self.constants, self.data)
        with self._updates.one_action():
            self.constants = {name: np.array(value) for name, value in preset.constants.items()}
            self.data = dict(preset.data)  # another preset's data goes
            self.function = preset.expression
            self.x = preset.x
        self._initial_x = self.x
        self._loaded = (self.function, self.x, self.constants, self.data)
        self.note.value = f"<i>{preset.note}</i>"

    @_handler
    def _on_shape_change(self, change):
        self.x = resize_batch(self.x, *self._controls.batch_shape())

    @_handler
    def _on_entry_change(self, b, j, value):
        batch_size, n = self.x.shape
        if b >= batch_size or j >= n:  # a box of a larger batch before: only a browser's message
            return
        x = self.x.copy()
        x[b, j] = value
        try:
            with self._updates.one_action():
                self.x = x
                self._reveal(b)
        except traitlets.TraitError as exc:
            self._refuse(str(exc))

    def _as_loaded(self):
        """Whether formula, batch, constants and data are still those the last preset loaded."""
        if self._loaded is None:
            return False
        function, x, constants, data = self._loaded
        return (
            self.function == function
            and np.array_equal(self.x, x)
            and same_arrays(self.constants, constants)
            and same_arrays(self.data, data)
        )

    def _restore_own(self):
        """Bring back the student's own formula, batch, constants and data of before the presets."""
        self.note.value = ""
        if self._own is None:
            self._echo_state()
            return
        function, x, constants, data = self._own
        with self._updates.one_action():
            self.constants = constants
            self.data = data
            self.function = function
            self.x = x
        self._initial_x = self.x

    def _reveal(self, b):
        """Bring example ``b`` into the picture: the map's example, or the window moves."""
        if self.linear_map_toggle.value:
            self.map_example_slider.value = b
            return
        shown = shown_examples(self.x.shape[0], self.first_example_slider.value)
        if b not in shown:
            self.first_example_slider.value = b if b < shown[0] else b - len(shown) + 1

    @_handler
    def _on_random_click(self, button):
        self.x = self._rng.uniform(-2.0, 2.0, size=self.x.shape).round(1)

    @_handler
    def _on_reset_click(self, button):
        self.x = self._initial_x

    @_handler
    def _on_paste_change(self, change):
        text = self.paste_text.value
        if not text[: MAX_PASTE + 1].strip():
            return
        try:
            x = parse_batch_text(text)
        except ValueError as exc:
            if len(text) > MAX_PASTE:  # nothing to fix in place, and not worth keeping
                self.paste_text.value = ""
            self._refuse(f"pasted batch: {exc}", text, getattr(exc, "position", None))
            return
        self.x = x
        self.paste_text.value = ""

    @_handler
    def _on_order_toggle_change(self, change):
        if self.order_toggle.value is None:  # no button pressed: a browser's index None
            self._echo_state()
        else:
            self.order = self.order_toggle.value

    @_handler
    def _on_linear_map_toggle_change(self, change):
        self._updates.request()

    @_handler
    def _on_map_option_change(self, change):
        if self.linear_map_toggle.value:
            self._updates.request()

    @_handler
    def _on_first_example_change(self, change):
        if not self.linear_map_toggle.value and self.order != "full":
            self._updates.request()

    @_handler
    def _on_scale_checkbox_change(self, change):
        shown = self._presenter.shown
        if shown is not None and shown.outcome.outputs_apart and not shown.linear_map:
            self._updates.request()  # else the picture does not use it (a browser may send it)

    @_handler
    def _on_fd_checkbox_change(self, change):
        self._presenter.show_check()

    @_handler
    def _on_values_checkbox_change(self, change):
        self._presenter.show_values()

    @_handler
    def _on_large_checkbox_change(self, change):
        large = self.large_checkbox.value
        (self.add_class if large else self.remove_class)("jacviz-large-mode")
        self._pictures.set_dpi(LARGE_DPI if large else DPI)
        self.batch_grid.set_scale(self._boxes * (LARGE_DPI / DPI if large else 1.0))  # text: CSS
        self._updates.request()

    def _on_refused_message(self, widget, exc):
        """Say that ipywidgets rejected (and rolled back) a browser's message for ``widget``."""
        self._refuse(f"refused a message from the browser for {_name(widget)!r}: {exc}")

    def _traced_message(self, widget, state):
        """Trace the handling of a browser's message (``$JACVIZ_TRACE``)."""
        return self._trace.message(_name(widget), list(state))

    # ------------------------------------------------------------ validators and observers

    @traitlets.validate("x")
    def _validate_x(self, proposal):
        try:
            x = as_batch(proposal["value"])
        except ValueError as exc:
            raise traitlets.TraitError(str(exc)) from None
        x.flags.writeable = False  # change it through explorer.x = ..., which redraws
        return x

    @traitlets.validate("data")
    def _validate_data(self, proposal):
        try:
            return check_data(proposal["value"])  # read-only copies, like x
        except ValueError as exc:
            raise traitlets.TraitError(str(exc)) from None

    @traitlets.validate("order")
    def _validate_order(self, proposal):
        order = proposal["value"]
        if isinstance(order, str) and order.isdigit():
            order = int(order)
        if isinstance(order, bool) or order not in ORDERS:
            raise traitlets.TraitError(f'order must be 1, 2 or "full", not {order!r}')
        return order

    @traitlets.observe("function", "constants", "data")
    def _on_formula_change(self, change):
        self._parsed = None
        self._updates.request()

    @traitlets.observe("x")
    def _on_x_change(self, change):
        old = change["old"]
        if not (isinstance(old, np.ndarray) and np.array_equal(old, change["new"])):
            self._updates.request()

    @traitlets.observe("order")
    def _on_order_change(self, change):
        self._updates.request()

    # ------------------------------------------------------------ the one update

    def _update(self):
        """Read all state, compute, draw, show the outcome; then show the state in the controls.

        The picture leaves first: the browser shows it before it rebuilds, say,
        the grid of number boxes or typesets the formula.
        """
        self._trace.mark("update")
        with _collected_afterwards():
            for step in (self._show_picture, self._echo_state):
                try:
                    step()
                except Exception as exc:  # the last resort: shown in the error area, never raised
                    self._show_error(internal_error("show this", exc), stale=True)
        self._trace.mark("echoed")

    def _show_picture(self):
        """Show the picture of the state, in the view the controls ask for (or why not)."""
        self._compute_and_show(self._controls.view_options(self.x.shape[0]))
        self._trace.mark("shown")

    def _compute_and_show(self, view):
        """Show the picture of the state in ``view``; if anything fails, show why instead."""
        try:
            f = self._function()
            outcome, linear_map = compute_view(f, self.x, self.order, view.linear_map)
        except Exception as exc:  # the input's error, a Python function's own, or a bug
            source = self.function if isinstance(self.function, str) else None
            message = compute_error(exc, self.function)
            self._controls.mark_formula(wrong=True)
            self._show_error(message, source, getattr(exc, "position", None), stale=True)
            return
        self._controls.mark_formula(wrong=False)
        self._trace.mark("computed")
        self.linear_map_toggle.value = linear_map  # off if f does not fit the map
        per_output = view.per_output and outcome.outputs_apart and not linear_map
        view = view._replace(linear_map=linear_map, per_output=per_output)
        examples = _examples_in(view, outcome)
        try:
            drawn = self._drawn(f, view, examples)
            png, notes = self._pictures.draw(drawn, outcome, view, examples)
        except Exception as exc:  # the input was fine: this is jacviz's fault, say so
            self._show_error(internal_error("draw this", exc), stale=True)
            return
        self._trace.mark("encoded")
        built = not view.linear_map and self._pictures.heatmap_grid.redrawn == ["all"]
        self._trace.note(render_count=self.render_count + 1, png_bytes=len(png), built=built)
        outcome = outcome._replace(notes=list(dict.fromkeys([*outcome.notes, *notes])))
        self.set_trait("result", outcome.result)
        self.set_trait("render_count", self.render_count + 1)
        self.set_trait("error", "")
        facts = (data_fact(self.data, len(self.x)),) if self.data else ()
        text = function_text(self.function)
        shown = Shown(f, text, outcome, linear_map, examples, per_output, facts)
        self._presenter.show(shown, png, self.render_count)

    def _function(self):
        """Return the parsed formula; parse again after text, constants or data changed.

        With data, also after the batch changed size: the data then get one row
        per example anew (example ``b`` uses row ``b mod R``).
        """
        rows = len(self.x)
        if self._parsed is None or (self.data and self._parsed_rows != rows):
            self._parsed_rows = rows
            if self.data and not isinstance(self.function, str):
                self._parsed = formulas_only(self.data)
            else:
                self._parsed = parse(self.function, self.constants, rows_for(self.data, rows))
        if isinstance(self._parsed, ExpressionError):  # a fresh one: no growing traceback
            raise ExpressionError(str(self._parsed), self._parsed.position)
        return self._parsed

    def _drawn(self, f, view, examples):
        """Return the function the picture draws: with data, the map's example's formula alone.

        The linear map evaluates ``f`` on points around ``x[b]``, not on the
        batch: there example ``b``'s rows of the data are constants.
        """
        if not (view.linear_map and self.data):
            return f
        (b,) = examples
        return example_function(self.function, self.constants, self.data, len(self.x), b)

    def _echo_state(self):
        """Show the state in the controls and the typeset formula, quietly: they agree with it."""
        with self._updates.quietly():
            self._controls.show_state(self.function, self.x, self.order, self.constants, self.data)
            if self._parsed is not None:  # None: not parsed since the formula changed
                # the formula of the picture on screen: a rejected one is not typeset
                pictured = self._presenter.shown
                self._presenter.show_formula(getattr(pictured and pictured.f, "latex", None))

    def _show_error(self, message, source=None, position=None, stale=False):
        self.set_trait("error", message)
        self._presenter.show_error(message, source, position, stale)

    def _refuse(self, message, source=None, position=None, stale=False):
        """Show why an input was refused and set the controls back to the state."""
        self._show_error(message, source, position, stale)
        self._echo_state()

    # ------------------------------------------------------------ public methods

    def save(self, path, *, dpi=200):
        """Write the picture on screen to a file; the format follows the suffix.

        The file carries the picture's text alternative with its numbers (the
        PDF's subject, the SVG's ``<desc>``, the PNG's description; see
        :func:`jacviz.save_figure`).

        Parameters
        ----------
        path : str or os.PathLike
            Ends in ``.png``, ``.svg`` or ``.pdf``.
        dpi : float, optional
            Resolution of the PNG (and of raster parts of SVG/PDF); 200 suits print.

        Returns
        -------
        pathlib.Path
            The path written.

        Raises
        ------
        ValueError
            If nothing has been drawn yet or the suffix is not supported.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     JacobianExplorer().save(pathlib.Path(folder) / "cube.svg").name
        'cube.svg'
        """
        if self.figure is None:
            raise ValueError("nothing drawn yet: fix the error shown first")
        return save_figure(self.figure, path, dpi=dpi, alt=self._controls.image.tooltip)

    def snapshot(self):
        """Return a still of the picture on screen, which shows itself in any output.

        For printed and static notes: a cell ending in ``explorer.snapshot()``
        shows the explorer as it is *now* -- a PNG with the formula and status
        lines and a text alternative with the numbers -- in HTML, LaTeX and PDF
        exports alike. The explorer's own display carries the same still of the
        picture it showed when displayed.

        Returns
        -------
        Snapshot
            ``.png`` (bytes), ``.alt`` (text), ``.save(path)``.

        Examples
        --------
        >>> still = JacobianExplorer("x**3", [[1.0, 2.0]]).snapshot()
        >>> still.png[1:4], still.alt.split(". ")[-1]
        (b'PNG', 'J[0] = [[3, 0], [0, 12]]')
        """
        c = self._controls
        description = f"Batch Jacobian explorer showing f(x) = {function_text(self.function)}"
        if self.error:
            description += " (out of date: an error is shown)"
        alt = alt_text(description, self.result, self.order, c.status.value)
        return Snapshot(c.image.value, alt, formula=c.formula_view.value, status=c.status.value)

    def _repr_mimebundle_(self, **kwargs):
        """Return the widget view, and the still of :meth:`snapshot` for routes without widgets."""
        bundle = super()._repr_mimebundle_(**kwargs)
        still = self.snapshot()._repr_mimebundle_()
        return {**still, **bundle, "text/plain": still["text/plain"]}

    def __repr__(self):
        state = f"error={self.error!r}" if self.error else f"render #{self.render_count}"
        return (
            f"JacobianExplorer(function={function_text(self.function)!r}, "
            f"x of shape {self.x.shape}, order={self.order!r}, {state})"
        )

    @property
    def figure(self):
        """The :class:`matplotlib.figure.Figure` behind the picture on screen (None before one)."""
        return self._pictures.figure

    def close(self):
        """Close the explorer's widget and let go of its figures, for a page that is gone.

        The views its renderer kept go to the renderer's pool, if it has one
        (``view_cache={"pool": ...}``; the class server's explorers share one),
        for the next student who needs the same picture.

        Examples
        --------
        >>> explorer = JacobianExplorer()
        >>> explorer.close()
        >>> explorer.figure is None
        True
        """
        pictures = getattr(self, "_pictures", None)  # None: closed by __del__ after a bad argument
        if pictures is not None:
            pictures.release()
        super().close()


def explore(function="x**3", x=((4, 2), (1, 3)), **kwargs):
    """Open a :class:`JacobianExplorer` on a formula and a batch ``x (B, n)``.

    Parameters
    ----------
    function : str or callable, optional
        The formula for one example ``x``.
    x : array_like, shape (B, n), optional
        The batch.
    **kwargs
        ``order``, ``constants``, ``data``, ``compact`` (the layout for slides) and
        layout options of :class:`JacobianExplorer`.

    Returns
    -------
    JacobianExplorer
        Display it by leaving it last in a notebook cell.

    Examples
    --------
    >>> explore("sin(x)", [[0.0, 1.0]], order=2).result.shape
    (1, 2, 2, 2)
    >>> explore("sum((x - t)**2)", [[1.0, 2.0]], data={"t": [[1.0, 0.0]]}).result  # scalar: (B, n)
    array([[0., 4.]])
    """
    return JacobianExplorer(function, x, **kwargs)


@contextlib.contextmanager
def _collected_afterwards():
    """Hold Python's cyclic garbage collector while a picture is made; it runs once it is sent.

    Building a picture allocates many objects, which now and then sets off a full
    collection of the kernel's objects: 0.1-0.5 s (measured in bench_browser.py), a
    pause the picture should not wait for. The same collection runs at the kernel's
    next allocation, after the picture is on its way. If the collector is already
    off (someone turned it off), it stays off.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _as_dict(mapping):
    """Return a mapping (a preset's read-only one too) as a dict, anything else as it is."""
    return dict(mapping) if hasattr(mapping, "items") else mapping


def _name(widget):
    """Return how the error area names ``widget``: its description, else its class."""
    return getattr(widget, "description", "") or type(widget).__name__


def _examples_in(view, outcome):
    """Return the examples a picture shows: the map's one, a window of 8, or all: ``()``."""
    if view.linear_map:
        return (view.map_example,)
    if outcome.order == "full":
        return ()
    return shown_examples(outcome.x.shape[0], view.first_example)
