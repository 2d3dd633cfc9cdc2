"""Saving figures for course notes, and PNG bytes of a figure for a live picture.

Layer: plotting. Imports numpy, matplotlib, the standard library and ``_png``.
"""

import importlib
import pathlib
import re
from xml.sax.saxutils import escape

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg

from jacviz.plotting._png import encode_png

# suffix -> matplotlib backend module; imported on first save (the PDF backend costs a
# third of importing jacviz, and the live explorer never needs it)
_BACKENDS = {".png": "backend_agg", ".svg": "backend_svg", ".pdf": "backend_pdf"}
#: suffix -> the metadata key of a description in that format
_DESCRIPTION = {".png": "Description", ".svg": "Description", ".pdf": "Subject"}


def save_figure(fig, path, *, dpi=200, alt=None):
    r"""Write ``fig`` as PNG, SVG or PDF, chosen by the file's suffix, with its text alternative.

    The figure's own canvas is left alone, so a figure shown live (e.g. by
    the widget's renderer) can be saved without disturbing it; the artists
    such a figure redraws by blitting (marked "animated", which a plain
    ``savefig`` leaves out) are saved too. The file carries the words of
    the picture where its format has a place for them (WCAG 1.1.1): the
    PDF's ``Title`` and ``Subject``, the SVG's ``<title>`` and ``<desc>``
    (and its metadata), the PNG's ``Title`` and ``Description`` chunks.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure, e.g. from :func:`plot_batch_jacobian`.
    path : str or os.PathLike
        Where to write; the suffix (``.png``, ``.svg``, ``.pdf``, any case)
        picks the format. Missing parent folders are created.
    dpi : float, optional
        Resolution of the PNG (and of raster parts of SVG/PDF); 200 suits print.
    alt : str, optional
        The text alternative; default the figure's own (``fig.alt_text`` of
        the ``plot_*`` figures), none for a figure without one. Its words up
        to the first ``:`` or ``.`` become the title.

    Returns
    -------
    pathlib.Path
        The path written.

    Raises
    ------
    ValueError
        If the suffix is not one of ``.png``, ``.svg``, ``.pdf``.

    Examples
    --------
    >>> import tempfile, numpy as np
    >>> from jacviz import plot_batch_jacobian
    >>> fig = plot_batch_jacobian(np.eye(2)[None])
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = save_figure(fig, pathlib.Path(folder) / "jacobian.png")
    ...     path.read_bytes()[:8]
    b'\x89PNG\r\n\x1a\n'
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     svg = save_figure(fig, pathlib.Path(folder) / "jacobian.svg").read_text()
    >>> svg[svg.index("<title>"):].split("</title>")[0]
    '<title>Heatmap of the batch Jacobian ∂fᵢ / ∂xⱼ'
    """
    path = pathlib.Path(path)
    backend = _BACKENDS.get(path.suffix.lower())
    if backend is None:
        raise ValueError(
            f"cannot save {path.name!r}: the suffix must be .png, .svg or .pdf, "
            f"not {path.suffix or 'nothing'!r}"
        )
    canvas_class = importlib.import_module(f"matplotlib.backends.{backend}").FigureCanvas
    path.parent.mkdir(parents=True, exist_ok=True)
    original = fig.canvas
    animated = [artist for artist in fig.findobj() if artist.get_animated()]
    for artist in animated:
        artist.set_animated(False)
    alt = getattr(fig, "alt_text", "") if alt is None else alt
    title = re.split(r":\s|\.\s", alt, maxsplit=1)[0]
    metadata = {"Title": title, _DESCRIPTION[path.suffix.lower()]: alt} if alt else None
    try:
        canvas_class(fig).print_figure(path, dpi=dpi, facecolor="white", metadata=metadata)
    finally:
        fig.set_canvas(original)
        for artist in animated:
            artist.set_animated(True)
    if alt and path.suffix.lower() == ".svg":
        _name_svg(path, title, alt)
    return path


def _name_svg(path, title, alt):
    """Give the SVG at ``path`` the ``<title>`` and ``<desc>`` a screen reader reads.

    matplotlib writes the metadata as Dublin Core inside ``<metadata>``, which
    browsers and screen readers ignore; the first children of ``<svg>`` are
    what they announce.
    """
    svg = path.read_text(encoding="utf-8")
    start = svg.index(">", svg.index("<svg")) + 1
    words = f"\n <title>{escape(title)}</title>\n <desc>{escape(alt)}</desc>"
    path.write_text(svg[:start] + words + svg[start:], encoding="utf-8")


def png_bytes(fig):
    r"""Draw ``fig`` and return the picture as PNG bytes, at the figure's own resolution.

    What ``fig.savefig(buffer, format="png")`` gives at the figure's dpi, in
    a fraction of the time: the canvas is drawn once and its pixels go
    through the fast encoder of the live renderer (no tight box, no second
    canvas). A figure without an Agg canvas is drawn on a temporary one and
    keeps its own.

    Parameters
    ----------
    fig : matplotlib.figure.Figure

    Returns
    -------
    bytes
        An RGBA PNG of ``fig.get_size_inches() * fig.dpi`` pixels.

    Examples
    --------
    >>> import io
    >>> from matplotlib.figure import Figure
    >>> from matplotlib.image import imread
    >>> fig = Figure(figsize=(2, 1), dpi=50)
    >>> _ = fig.add_subplot().plot([0, 1], [1, 0])
    >>> png = png_bytes(fig)
    >>> png[:8], imread(io.BytesIO(png)).shape
    (b'\x89PNG\r\n\x1a\n', (50, 100, 4))
    """
    original = fig.canvas
    canvas = original if isinstance(original, FigureCanvasAgg) else FigureCanvasAgg(fig)
    try:
        canvas.draw()
        return encode_png(np.asarray(canvas.buffer_rgba()))
    finally:
        if canvas is not original:
            fig.set_canvas(original)
