"""``JacobianExplorer``: formula and batch in, live per-example heatmaps out.

Layer: widget (private). Imports numpy, ipywidgets, traitlets and the layers
below (errors, expressions, jacobians, plotting, presets).

Built like ipywidgets' ``interaction.py``: the controls only write state
(the traitlets ``function``, ``x``, ``order``, ``constants``); one method,
:meth:`JacobianExplorer._update`, reads all state, calls the pure layers and
shows the outcome. Every error caused by input is caught there and shown in
the error area -- the last good picture stays and nothing prints a traceback.
"""

import contextlib
import warnings

import ipywidgets as widgets
import numpy as np
import traitlets

from jacviz.errors import ExpressionError, JacvizError
from jacviz.expressions import parse_function
from jacviz.jacobians import batch_jacobian, full_jacobian
from jacviz.plotting import HeatmapGrid, save_figure
from jacviz.presets import PRESETS
from jacviz.widget import _controls as controls
from jacviz.widget._batch import MAX_BATCH, MAX_INPUTS, as_batch, parse_batch_text, resize_batch
from jacviz.widget._batch_controls import BatchGrid
from jacviz.widget._notes import status_notes
from jacviz.widget._text import error_html, status_html, values_html

ORDERS = (1, 2, "full")
KINDS = {1: "jacobian", 2: "hessian", "full": "full"}
#: Errors that bad input can cause in the layers; shown as they are.
INPUT_ERRORS = (JacvizError, ValueError, TypeError, ArithmeticError, IndexError)
RANDOM_SEED = 0
DPI = 100  # ~740 px wide for a 2 x 2 batch: readable when projected, still fast
CUSTOM = "(your own formula)"


class JacobianExplorer(widgets.VBox):
    r"""An interactive batch-Jacobian explorer: type ``f``, set the batch, see ``J[b]``.

    One app of ipywidgets controls: a formula box (with presets), a grid of
    number boxes for the batch ``x`` (batch size and input dimension sliders,
    "random batch", "reset" and a paste box), an order toggle (Jacobian,
    Hessian, full Jacobian), the heatmaps as a PNG image, a status line, an
    error area and a collapsible table of the numbers. Updates run
    synchronously inside the observers: when an assignment such as
    ``explorer.function = "sin(x)"`` returns, the picture is new.

    Parameters
    ----------
    function : str, optional
        The formula for one example ``x`` (see :func:`jacviz.parse_function`).
    x : array_like, shape (B, n), optional
        The batch; ``1 <= B <= 16``, ``1 <= n <= 8``, finite numbers. It is
        also what "reset" restores.
    order : {1, 2, "full"}, optional
        First order (per-example Jacobians), second order (per-example
        Hessians) or the full Jacobian ``(B, m, B, n)``.
    constants : Mapping[str, array_like], optional
        Named constants the formula may use, e.g. ``{"W": ..., "b": ...}``.
    **kwargs
        Passed to :class:`ipywidgets.VBox` (e.g. ``layout``).

    Attributes
    ----------
    result : numpy.ndarray or None
        The derivative in the picture (read-only).
    error : str
        The message shown in the error area, ``""`` when all is well.
    render_count : int
        Number of pictures drawn so far; also shown as ``render #<n>``.
    image : ipywidgets.Image
        The picture; ``image.value`` holds PNG bytes.
    figure : matplotlib.figure.Figure or None
        The figure behind the picture.

    Raises
    ------
    traitlets.TraitError
        If ``x`` is not a batch of that shape, or ``order`` is not 1, 2 or
        "full" (the formula is never a reason: its errors are shown).

    Examples
    --------
    >>> explorer = JacobianExplorer("x**3", [[4, 2], [1, 3]])
    >>> explorer.result
    array([[[48.,  0.],
            [ 0., 12.]],
    <BLANKLINE>
           [[ 3.,  0.],
            [ 0., 27.]]])
    >>> bytes(explorer.image.value[:4])
    b'\x89PNG'
    >>> explorer.function = "sine(x)"
    >>> explorer.error
    "unknown function 'sine' — did you mean 'sin'? ..."
    >>> explorer.batch_size_slider.value = 3
    >>> explorer.x
    array([[4., 2.],
           [1., 3.],
           [4., 1.]])
    """

    function = traitlets.Union(
        [traitlets.Unicode(), traitlets.Callable()],
        default_value="x**3",
        help="The formula for one example x, or a Python function of the whole batch.",
    )
    x = traitlets.Union(
        [traitlets.Instance(np.ndarray), traitlets.List(), traitlets.Tuple()],
        help="The batch; stored as a float ndarray of shape (B, n).",
    )
    order = traitlets.Union(
        [traitlets.Int(), traitlets.Unicode()],
        default_value=1,
        help='1 (Jacobian), 2 (Hessian) or "full" (full Jacobian).',
    )
    constants = traitlets.Dict(help="Named constants the formula may use.")
    result = traitlets.Instance(
        np.ndarray, allow_none=True, read_only=True, help="The derivative in the picture."
    )
    error = traitlets.Unicode("", read_only=True, help="The error shown; empty when fine.")
    render_count = traitlets.Int(0, read_only=True, help="Pictures drawn so far.")

    def __init__(self, function="x**3", x=((4, 2), (1, 3)), order=1, constants=None, **kwargs):
        self._ready = False
        self._holds = 0
        self._pending = False
        self._parsed = None
        self._shown = None
        self._figure = None
        self._rng = np.random.default_rng(RANDOM_SEED)
        self._renderer = HeatmapGrid(dpi=DPI)
        self._build_controls()
        super().__init__(children=self._layout_children(), **kwargs)
        self.add_class("jacviz-explorer")
        self.constants = dict(constants or {})
        self.function = function
        self.x = x
        self.order = order
        self._initial_x = self.x.copy()
        self._ready = True
        self._pending = False
        self._show_x()
        self.function_text.value = _function_text(self.function)
        self.order_toggle.value = self.order
        self._update()

    # ------------------------------------------------------------ the one update

    def _update(self):
        """Read all state, compute, draw; show an error instead if anything fails."""
        if not self._ready or self._holds:
            self._pending = True
            return
        self._pending = False
        try:
            x, y, result, notes = self._compute()
            png = self._draw(result, x, y)
        except INPUT_ERRORS as exc:
            self._show_error(str(exc), getattr(exc, "position", None))
            return
        except Exception as exc:  # a bug, not bad input: still no traceback in class
            self._show_error(f"unexpected {type(exc).__name__}: {exc}")
            return
        self._show(x, y, result, notes, png)

    def _draw(self, result, x, y):
        """PNG bytes of the picture; a renderer that failed is replaced by a fresh one."""
        try:
            return self._renderer.render(KINDS[self.order], result, x=x, y=y)
        except Exception:
            self._renderer = HeatmapGrid(dpi=DPI)  # the next picture rebuilds from scratch
            raise

    def _compute(self):
        """Compute the formula's values and derivative at ``x``, and notes for the status."""
        f = self._function()
        x = self.x
        with warnings.catch_warnings(record=True) as caught, np.errstate(all="warn"):
            warnings.simplefilter("always")
            y = np.asarray(f(x))
            if self.order == "full":
                result = full_jacobian(f, x)
            else:
                result = batch_jacobian(f, x, order=self.order, check="warn")
        return x, y, result, status_notes(caught, y, result, self.order)

    def _function(self):
        """Return the parsed formula; parse again only after the text or constants changed."""
        if self._parsed is None:
            self._parsed = _parse(self.function, self.constants)
            self._show_formula()
        if isinstance(self._parsed, ExpressionError):  # a fresh one: no growing traceback
            raise ExpressionError(str(self._parsed), self._parsed.position)
        return self._parsed

    def _show(self, x, y, result, notes, png):
        self._figure = self._renderer.figure
        self.image.value = png
        self.set_trait("result", result)
        self.set_trait("render_count", self.render_count + 1)
        self.set_trait("error", "")
        self.error_area.value = ""
        self.status.value = status_html(x, y, result, self.order, self.render_count, notes)
        self._shown = (result, x, y)
        self._show_values()

    def _show_error(self, message, position=None):
        self.set_trait("error", message)
        source = self.function if isinstance(self.function, str) and position is not None else None
        self.error_area.value = error_html(message, source, position)

    def _show_formula(self):
        latex = getattr(self._parsed, "latex", None)
        self.formula_view.value = f"$$f(x) = {latex}$$" if latex else ""

    def _show_values(self):
        """Fill the values table -- only while it is open (it is text for the picture)."""
        if self.values_accordion.selected_index is None or self.result is None:
            return
        result, x, y = self._shown
        blocks = _per_output_flat(result, x, y, self.order)
        self.values_table.value = values_html(blocks, x, self.order)

    @contextlib.contextmanager
    def _one_update(self):
        """Collect the updates requested inside into one, run at the end."""
        self._holds += 1
        try:
            yield
        finally:
            self._holds -= 1
        if not self._holds and self._pending:
            self._update()

    # ------------------------------------------------------------ public methods

    def save(self, path):
        """Write the current picture to a file; the format follows the suffix.

        Parameters
        ----------
        path : str or os.PathLike
            Ends in ``.png``, ``.svg`` or ``.pdf``.

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
        return save_figure(self.figure, path)

    def __repr__(self):
        state = f"error={self.error!r}" if self.error else f"render #{self.render_count}"
        return (
            f"JacobianExplorer(function={_function_text(self.function)!r}, "
            f"x of shape {self.x.shape}, order={self.order!r}, {state})"
        )

    @property
    def figure(self):
        """The :class:`matplotlib.figure.Figure` behind the picture (None before one)."""
        return self._figure

    # ------------------------------------------------------------ validators

    @traitlets.validate("x")
    def _validate_x(self, proposal):
        try:
            return as_batch(proposal["value"])
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

    # ------------------------------------------------------------ state observers

    @traitlets.observe("function")
    def _on_function_change(self, change):
        self._parsed = None
        if self._ready:
            self.function_text.value = _function_text(change["new"])
        self._update()

    @traitlets.observe("constants")
    def _on_constants_change(self, change):
        self._parsed = None
        self._update()

    @traitlets.observe("x")
    def _on_x_change(self, change):
        if self._ready:
            self._show_x()
        self._update()

    @traitlets.observe("order")
    def _on_order_change(self, change):
        if self._ready:
            self.order_toggle.value = change["new"]
        self._update()

    def _show_x(self):
        """Put ``x`` into the sliders and the grid, without echoing back."""
        with self._one_update():
            self.batch_size_slider.value, self.input_dim_slider.value = self.x.shape
            self.batch_grid.show(self.x)

    # ------------------------------------------------------------ control handlers

    def _on_function_text_change(self, change):
        if change["new"] != _function_text(self.function):  # not our own echo
            self.function = change["new"]

    def _on_order_toggle_change(self, change):
        self.order = change["new"]

    def _on_shape_change(self, change):
        if self._holds:
            return
        shape = (self.batch_size_slider.value, self.input_dim_slider.value)
        self.x = resize_batch(self.x, *shape)

    def _on_entry_change(self, b, j, value):
        x = self.x.copy()
        x[b, j] = value
        try:
            self.x = x
        except traitlets.TraitError as exc:
            self._show_error(f"x[{b}, {j}]: {exc}")
            self.batch_grid.show(self.x)

    def _on_random_click(self, button):
        self.x = self._rng.uniform(-2.0, 2.0, size=self.x.shape).round(1)

    def _on_reset_click(self, button):
        self.x = self._initial_x

    def _on_paste_change(self, change):
        if not change["new"].strip():
            return
        try:
            self.x = parse_batch_text(change["new"])
        except ValueError as exc:
            self._show_error(f"pasted batch: {exc}")
            return
        self.paste_text.value = ""

    def _on_preset_change(self, change):
        preset = PRESETS.get(change["new"])
        if preset is None:
            self.note.value = ""
            return
        with self._one_update():
            self.constants = {name: np.array(value) for name, value in preset.constants.items()}
            self.function = preset.expression
            self.x = preset.x
        self._initial_x = self.x.copy()
        self.note.value = f"<i>{preset.note}</i>"

    def _on_values_toggle(self, change):
        self._show_values()

    # ------------------------------------------------------------ building

    def _build_controls(self):
        """Make every widget (see ``_controls``), then wire it to its handler."""
        self.function_text = controls.function_text()
        self.formula_view = widgets.HTMLMath("", tooltip="The formula as typeset.")
        self.preset_dropdown = controls.preset_dropdown(PRESETS, CUSTOM)
        self.note = controls.html("What to look for in this example.")
        self.order_toggle = controls.order_toggle()
        self.batch_size_slider = controls.shape_slider(
            "batch B", "Number of examples (rows of x).", MAX_BATCH, "jacviz-batch-size"
        )
        self.input_dim_slider = controls.shape_slider(
            "inputs n", "Inputs per example (columns of x).", MAX_INPUTS, "jacviz-input-dim"
        )
        self.batch_grid = BatchGrid(self._on_entry_change)
        self.random_button = controls.button("random batch", "dice", "New values in [-2, 2].")
        self.reset_button = controls.button("reset", "undo", "Back to the preset's batch.")
        self.paste_text = controls.paste_text()
        self.image = controls.image()
        self.status = controls.html("Shapes of x, y and the derivative; notes.", "jacviz-status")
        self.error_area = controls.html(
            "What is wrong with the input, if anything.", "jacviz-error"
        )
        self.values_table = controls.html("The numbers in the picture.")
        self.values_accordion = controls.values_accordion(self.values_table)
        self._wire_controls()

    def _wire_controls(self):
        self.function_text.observe(self._on_function_text_change, names="value")
        self.preset_dropdown.observe(self._on_preset_change, names="value")
        self.order_toggle.observe(self._on_order_toggle_change, names="value")
        for slider in (self.batch_size_slider, self.input_dim_slider):
            slider.observe(self._on_shape_change, names="value")
        self.random_button.on_click(self._on_random_click)
        self.reset_button.on_click(self._on_reset_click)
        self.paste_text.observe(self._on_paste_change, names="value")
        self.values_accordion.observe(self._on_values_toggle, names="selected_index")

    def _layout_children(self):
        batch_row = widgets.HBox([self.batch_size_slider, self.input_dim_slider])
        buttons = widgets.HBox([self.random_button, self.reset_button, self.paste_text])
        return [
            widgets.HBox([self.function_text, self.preset_dropdown]),
            self.formula_view,
            self.note,
            batch_row,
            self.batch_grid.box,
            buttons,
            self.order_toggle,
            self.error_area,
            self.image,
            self.status,
            self.values_accordion,
        ]


def explore(function="x**3", x=((4, 2), (1, 3)), **kwargs):
    """Open a :class:`JacobianExplorer` on a formula and a batch.

    Parameters
    ----------
    function : str, optional
        The formula for one example ``x``.
    x : array_like, shape (B, n), optional
        The batch.
    **kwargs
        ``order``, ``constants`` and layout options of :class:`JacobianExplorer`.

    Returns
    -------
    JacobianExplorer
        Display it by leaving it last in a notebook cell.

    Examples
    --------
    >>> explorer = explore("sin(x)", [[0.0, 1.0]], order=2)
    >>> explorer.result.shape
    (1, 2, 2, 2)
    """
    return JacobianExplorer(function, x, **kwargs)


def _parse(function, constants):
    """Return a callable for ``function`` (text or Python function), or the ExpressionError."""
    if not isinstance(function, str):
        return function
    try:
        return parse_function(function, constants=constants)
    except ExpressionError as exc:
        return exc


def _function_text(function):
    """Return what the formula box shows: the text, or a Python function's name."""
    if isinstance(function, str):
        return function
    return f"<Python function {getattr(function, '__name__', type(function).__name__)}>"


def _per_output_flat(result, x, y, order):
    """Flatten one example's output axes of ``result`` to one (``m = 1`` for scalars)."""
    batch_size, n = x.shape
    m = int(np.prod(y.shape[1:], dtype=int))
    shapes = {1: (batch_size, m, n), 2: (batch_size, m, n, n), "full": (batch_size, m, -1, n)}
    return result.reshape(shapes[order])
