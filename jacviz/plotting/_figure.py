"""A matplotlib figure that shows itself in Jupyter, no pyplot needed.

Layer: plotting. Imports matplotlib and this package only (never IPython:
Jupyter finds the ``_repr_*_`` methods by name).

A bare :class:`matplotlib.figure.Figure` displays as ``<Figure size …>``
unless pyplot's inline backend is loaded (``%matplotlib inline``). The
figures the ``plot_*`` functions make are :class:`JacvizFigure` instead:
still a real ``Figure`` (``savefig``, ``add_axes``, pickling), and the last
line of a cell shows it as a PNG at twice the figure's dpi with its size in
CSS pixels in the metadata, so it is sharp on HiDPI screens and projectors,
plus a text alternative (``text/plain`` and the PNG's ``alt`` metadata).
"""

from matplotlib.figure import Figure

from jacviz.plotting._export import png_bytes

#: Pixels per CSS pixel of the displayed PNG (2: sharp on HiDPI screens).
DISPLAY_SCALE = 2


class JacvizFigure(Figure):
    r"""A ``Figure`` that Jupyter, VS Code, Voila and nbconvert display as a sharp PNG.

    Parameters
    ----------
    *args, **kwargs
        As for :class:`matplotlib.figure.Figure`.

    Attributes
    ----------
    alt_text : str
        What the picture shows, in words: the display's text alternative.

    Examples
    --------
    >>> fig = JacvizFigure(figsize=(2, 1), dpi=50)
    >>> fig.alt_text = "an empty figure"
    >>> data, meta = fig._repr_mimebundle_()
    >>> data["image/png"][:4], meta["image/png"]["width"], meta["image/png"]["height"]
    (b'\x89PNG', 100, 50)
    >>> data["text/plain"]
    'an empty figure'
    """

    alt_text = ""

    def _repr_png_(self):
        """Return the PNG at :data:`DISPLAY_SCALE` times the dpi and its CSS size."""
        dpi = self.dpi
        width, height = self.get_size_inches()
        self.set_dpi(DISPLAY_SCALE * dpi)
        try:
            png = png_bytes(self)
        finally:
            self.set_dpi(dpi)
        size = {"width": round(width * dpi), "height": round(height * dpi)}
        return png, {**size, "alt": self.describe()}

    def _repr_mimebundle_(self, include=None, exclude=None):
        """Return the PNG (with its metadata) and the text alternative, for Jupyter."""
        png, meta = self._repr_png_()
        return {"image/png": png, "text/plain": self.describe()}, {"image/png": meta}

    def describe(self):
        """Return :attr:`alt_text`, or matplotlib's ``<Figure size …>`` when it is empty."""
        return self.alt_text or repr(self)
