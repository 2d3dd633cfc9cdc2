"""The grid of number boxes, one per entry ``x[b, j]`` of the batch.

Layer: widget (private). Imports numpy and ipywidgets.

The boxes are kept in a pool and reused when the shape changes, so growing
and shrinking the batch creates no widget twice and leaks no comm; a value
change only touches the boxes whose value differs. The row labels say which
examples the picture shows (it shows at most eight).
"""

import ipywidgets as widgets
import numpy as np

from jacviz.widget._batch import MAX_ABS

BOX_WIDTH = 76  # px, at scale 1; the large-text mode makes them wider
LABEL_WIDTH = 44  # px
HIDDEN_STYLE = "color: #595959; font-style: italic"  # 7:1 on white (WCAG 1.4.3)


class BatchGrid:
    """A ``GridBox`` (:attr:`box`) of ``FloatText`` boxes showing a batch ``x (B, n)``.

    ``on_new_widget`` is called once with every widget the grid makes.

    Examples
    --------
    >>> seen = []
    >>> grid = BatchGrid()
    >>> grid.on_entry_change(lambda b, j, value: seen.append((b, j, value)))
    >>> grid.show(np.array([[4.0, 2.0], [1.0, 3.0]]))
    >>> grid.entry(1, 0).value = 5.0
    >>> seen
    [(1, 0, 5.0)]
    """

    def __init__(self, on_new_widget=None):
        self._on_new_widget = on_new_widget
        self._callbacks = []
        self._entries = {}
        self._keys = {}
        self._row_labels = {}
        self._col_labels = {}
        self._shape = None
        self._shown = None
        self._x = None  # the batch the boxes show, until a user edits one
        self._writing = False
        self._scale = 1.0
        self.box = widgets.GridBox(layout=widgets.Layout(grid_gap="2px 4px", width="auto"))
        self.box.add_class("jacviz-batch-grid")

    def on_entry_change(self, callback):
        """Call ``callback(b, j, value)`` when a user edits a box (not when :meth:`show` writes)."""
        self._callbacks.append(callback)

    def entry(self, b, j):
        """Return the box of entry ``x[b, j]`` (created on first use)."""
        if (b, j) not in self._entries:
            entry = self._new_entry(b, j)
            self._entries[(b, j)] = entry
            self._keys[id(entry)] = (b, j)
        return self._entries[(b, j)]

    def show(self, x):
        """Show batch ``x (B, n)``: rearrange the boxes if the shape changed, write the values."""
        if x is self._x:
            return
        if x.shape != self._shape:
            self._arrange(x.shape)
        self._writing = True
        try:
            for (b, j), value in np.ndenumerate(x):
                self.entry(b, j).value = float(value)
        finally:
            self._writing = False
        self._x = x

    def set_scale(self, scale):
        """Make the boxes and row labels ``scale`` times as wide (the large-text mode: 1.5).

        Their text grows by CSS; the widths are the grid's own, in pixels.

        Examples
        --------
        >>> grid = BatchGrid()
        >>> grid.show(np.zeros((1, 2)))
        >>> grid.set_scale(1.5)
        >>> grid.entry(0, 0).layout.width, grid.box.layout.grid_template_columns
        ('114px', '66px repeat(2, 114px)')
        """
        self._scale = scale
        for entry in self._entries.values():
            entry.layout.width = self._width(BOX_WIDTH)
        if self._shape is not None:
            self._set_columns(self._shape[1])

    def _width(self, pixels):
        return f"{round(pixels * self._scale)}px"

    def _set_columns(self, n):
        label, box = self._width(LABEL_WIDTH), self._width(BOX_WIDTH)
        self.box.layout.grid_template_columns = f"{label} repeat({n}, {box})"

    def mark_shown(self, examples, how=""):
        """Label the rows of the ``examples`` in the picture plainly, the others greyed.

        ``how`` says, in the tooltips, how to bring another example into the picture.

        Examples
        --------
        >>> grid = BatchGrid()
        >>> grid.show(np.zeros((3, 1)))
        >>> grid.mark_shown({0, 1}, 'choose it with "from example"')
        >>> grid.row_label(2).tooltip
        'example 2 is not in the picture: choose it with "from example"'
        """
        shown = (frozenset(examples), how)
        if shown == self._shown:
            return
        self._shown = shown
        for b, label in self._row_labels.items():
            _label_row(label, b, *shown)

    def row_label(self, b):
        """Return the label of row ``b`` (created on first use)."""
        if b not in self._row_labels:
            self._row_labels[b] = self._made(widgets.HTML())
            examples, how = self._shown or ((b,), "")
            _label_row(self._row_labels[b], b, examples, how)
        return self._row_labels[b]

    def _arrange(self, shape):
        batch_size, n = shape
        cells = [self._made(widgets.HTML(""))] if self._shape is None else [self.box.children[0]]
        cells += [self._col_label(j) for j in range(n)]
        for b in range(batch_size):
            cells.append(self.row_label(b))
            cells += [self.entry(b, j) for j in range(n)]
        self._set_columns(n)
        self.box.children = cells
        self._shape = shape

    def _new_entry(self, b, j):
        entry = widgets.FloatText(
            value=0.0,
            step=None,  # any number is valid (0.7853981633974483 too), not multiples of 0.1
            description=f"x[{b}, {j}]",
            tooltip=(
                f"input {j} of example {b}: a number from {-MAX_ABS:g} to {MAX_ABS:g}; "
                "type it or use the arrow keys"
            ),
            style={"description_width": "0px"},
            layout=widgets.Layout(width=self._width(BOX_WIDTH)),
        )
        entry.observe(self._on_entry_value_change, names="value")
        return self._made(entry)

    def _on_entry_value_change(self, change):
        if self._writing:
            return
        self._x = None  # the boxes no longer show it
        b, j = self._keys[id(change["owner"])]
        for callback in self._callbacks:
            callback(b, j, change["new"])

    def _col_label(self, j):
        if j not in self._col_labels:
            label = widgets.HTML(f"<b>x[:, {j}]</b>", tooltip=f"input {j}")
            self._col_labels[j] = self._made(label)
        return self._col_labels[j]

    def _made(self, widget):
        """Hand a new widget to ``on_new_widget``; return it."""
        if self._on_new_widget is not None:
            self._on_new_widget(widget)
        return widget


def _label_row(label, b, shown, how):
    """Write row ``b``'s label: bold when example ``b`` is in ``shown``, else greyed."""
    if b in shown:
        label.value, label.tooltip = f"<b>x[{b}]</b>", f"example {b}"
    else:
        label.value = f"<span style='{HIDDEN_STYLE}'>x[{b}]</span>"
        label.tooltip = f"example {b} is not in the picture: {how}".rstrip(": ")
