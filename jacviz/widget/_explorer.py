"""``JacobianExplorer``: formula and batch in, live per-example heatmaps out.

Layer: widget (private). Imports numpy, ipywidgets, traitlets and the layers
below (errors, expressions, jacobians, plotting, presets, views).

Built like ipywidgets' ``interaction.py``: the controls (see ``_handlers``)
only write state -- the traitlets ``function``, ``x``, ``order``,
``constants`` -- or the options of the view; one method,
:meth:`JacobianExplorer._update`, reads all of it, calls the pure layers and
shows the outcome. Every error is caught there and shown in the error area:
the user's input errors as they are, jacviz's own as an internal error. The
last good picture stays, the status line says it is out of date, and nothing
prints a traceback.
"""

import contextlib
import warnings

import ipywidgets as widgets
import numpy as np
import traitlets

from jacviz.errors import ExpressionError
from jacviz.plotting import save_figure
from jacviz.widget._batch import MAX_SHOWN, as_batch, shown_examples
from jacviz.widget._compute import INPUT_ERRORS, ORDERS, compute, function_text, parse
from jacviz.widget._handlers import ControlHandlers
from jacviz.widget._pictures import Pictures
from jacviz.widget._showing import LINEAR_MAP, Showing, Shown, map_misfit

KINDS = {1: "jacobian", 2: "hessian", "full": "full"}
RANDOM_SEED = 0
DPI = 100  # ~740 px wide for a 2 x 2 batch: readable when projected, still fast


class JacobianExplorer(ControlHandlers, Showing, widgets.VBox):
    r"""An interactive batch-Jacobian explorer: type ``f``, set the batch, see ``J[b]``.

    One app of ipywidgets controls: a formula box (with presets), a grid of
    number boxes for the batch ``x`` (batch size and input dimension sliders,
    "random batch", "reset" and a paste box), an order toggle (Jacobian,
    Hessian, full Jacobian), the heatmaps as a PNG image, a status line, an
    error area and a collapsible table of the numbers and their formulas.
    Teaching views: "linear map" (for ``f`` with 2 inputs and 2 outputs per
    example: ``J[b]`` as the best linear map near ``x[b]``, with an example
    and a radius slider) and "check against finite differences". With more
    than 8 examples, "from example" chooses which 8 the picture shows.
    Updates run synchronously inside the observers: when an assignment such
    as ``explorer.function = "sin(x)"`` returns, the picture is new.

    Parameters
    ----------
    function : str or callable, optional
        The formula for one example ``x`` (see :func:`jacviz.parse_function`),
        or a Python function of the whole batch.
    x : array_like, shape (B, n), optional
        The batch; ``1 <= B <= 16``, ``1 <= n <= 8``, finite numbers within
        ``±1e6``. It is also what "reset" restores.
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
        The derivative in the picture (read-only array).
    error : str
        The message shown in the error area, ``""`` when all is well.
    render_count : int
        Number of pictures drawn so far; also shown as ``render #<n>``.
    image : ipywidgets.Image
        The picture; ``image.value`` holds PNG bytes.
    figure : matplotlib.figure.Figure or None
        The figure behind the picture on screen.

    Raises
    ------
    traitlets.TraitError
        If ``x`` is not a batch of that shape, or ``order`` is not 1, 2 or
        "full" (the formula is never a reason: its errors are shown).

    Notes
    -----
    The view options are the controls themselves (set their ``.value``):
    ``linear_map_toggle``, ``map_example_slider``, ``radius_slider``,
    ``first_example_slider`` and ``fd_checkbox``. The extras are off by
    default, so a value edit costs the same as without them.

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
        help="The batch; stored as a read-only float ndarray of shape (B, n).",
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
        self._applying_preset = False
        self._parsed = None
        self._shown = None
        self._good_status = ""
        self._formulas = (None, None, None)  # (f, n, formulas): one per formula and n
        self._rng = np.random.default_rng(RANDOM_SEED)
        self._pictures = Pictures(DPI)
        self._build_controls()
        super().__init__(children=self._layout_children(), **kwargs)
        self.add_class("jacviz-explorer")
        self.constants = dict(constants or {})
        self.function = function
        self.x = x
        self.order = order
        self._initial_x = self.x
        self._ready = True
        self._pending = False
        self._show_x()
        self.function_text.value = function_text(self.function)
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
            f = self._function()
            outcome = self._outcome(f)
        except INPUT_ERRORS as exc:
            self._show_error(str(exc), getattr(exc, "position", None), stale=True)
            return
        except Exception as exc:  # a Python function's own error, or a bug of jacviz
            self._show_error(_unexpected(exc, self.function), stale=True)
            return
        view = LINEAR_MAP if self.linear_map_toggle.value else "heatmaps"
        examples = self._examples_in(view, outcome.order)
        try:
            with warnings.catch_warnings(record=True) as caught, np.errstate(all="ignore"):
                warnings.simplefilter("always")
                png = self._draw(f, outcome, view, examples)
        except Exception as exc:  # the input was fine: this is jacviz's fault, say so
            message = f"jacviz could not draw this (internal error: {type(exc).__name__}: {exc})"
            self._show_error(message, stale=True)
            return
        notes = [*outcome.notes, *(f"drawing: {warning.message}" for warning in caught)]
        outcome = outcome._replace(notes=list(dict.fromkeys(notes)))
        self._show(Shown(f, outcome, view, examples, self._state(outcome, view)), png)

    def _outcome(self, f):
        """Compute for the view asked for; leave the linear map if ``f`` does not fit it."""
        wants_map = self.linear_map_toggle.value
        outcome = compute(f, self.x, 1 if wants_map else self.order)
        if wants_map and not outcome.plane_map:
            with self._quietly():
                self.linear_map_toggle.value = False
            if self.order != 1:
                outcome = compute(f, self.x, self.order)
            note = f"{map_misfit(outcome)}: back to the heatmaps."
            outcome = outcome._replace(notes=[*outcome.notes, note])
        return outcome

    def _draw(self, f, outcome, view, examples):
        """PNG bytes of the picture (see ``_pictures``: a failed maker is replaced)."""
        if view == LINEAR_MAP:
            (b,) = examples
            return self._pictures.linear_map(
                f, outcome.x, example=b, radius=self.radius_slider.value
            )
        kind = KINDS[outcome.order]
        options = {} if kind == "full" else {"examples": examples}
        return self._pictures.heatmaps(kind, outcome.result, x=outcome.x, y=outcome.y, **options)

    def _function(self):
        """Return the parsed formula; parse again only after the text or constants changed."""
        if self._parsed is None:
            self._parsed = parse(self.function, self.constants)
            self._show_formula()
        if isinstance(self._parsed, ExpressionError):  # a fresh one: no growing traceback
            raise ExpressionError(str(self._parsed), self._parsed.position)
        return self._parsed

    def _examples_window(self):
        return shown_examples(self.x.shape[0], self.first_example_slider.value)

    def _examples_in(self, view, order):
        """Return the examples a picture shows: a window of 8, the map's one, or all: ``()``."""
        if view == LINEAR_MAP:
            return (self.map_example_slider.value,)
        return () if order == "full" else self._examples_window()

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

    @contextlib.contextmanager
    def _quietly(self):
        """Let the update write into its own controls without asking for another update."""
        pending = self._pending
        self._holds += 1
        try:
            yield
        finally:
            self._holds -= 1
            self._pending = pending

    # ------------------------------------------------------------ public methods

    def save(self, path, *, dpi=200):
        """Write the picture on screen to a file; the format follows the suffix.

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
        return save_figure(self.figure, path, dpi=dpi)

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

    # ------------------------------------------------------------ validators

    @traitlets.validate("x")
    def _validate_x(self, proposal):
        try:
            x = as_batch(proposal["value"])
        except ValueError as exc:
            raise traitlets.TraitError(str(exc)) from None
        x.flags.writeable = False  # change it through explorer.x = ..., which redraws
        return x

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
            self.function_text.value = function_text(change["new"])
            self._sync_preset()
        self._update()

    @traitlets.observe("constants")
    def _on_constants_change(self, change):
        self._parsed = None
        if self._ready:
            self._sync_preset()
        self._update()

    @traitlets.observe("x")
    def _on_x_change(self, change):
        old = change["old"]
        if isinstance(old, np.ndarray) and np.array_equal(old, change["new"]):
            return  # the same batch: nothing to redraw
        with self._one_update():
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
        batch_size = self.x.shape[0]
        with self._one_update():
            self.batch_size_slider.value, self.input_dim_slider.value = self.x.shape
            self.batch_grid.show(self.x)
            self.map_example_slider.max = batch_size - 1
            self.first_example_slider.max = max(0, batch_size - MAX_SHOWN)


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


def _unexpected(exc, function):
    """Return the message for an error outside :data:`INPUT_ERRORS` while computing."""
    if not isinstance(function, str):
        return f"your function raised {type(exc).__name__}: {exc}"
    return f"jacviz could not compute this (internal error: {type(exc).__name__}: {exc})"
