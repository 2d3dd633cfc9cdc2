"""One live picture: a view built on its own figure, redrawn in place by blitting.

Layer: plotting. Imports numpy, matplotlib (``Figure`` + ``FigureCanvasAgg``,
never pyplot) and this package only.

A :class:`LiveView` builds the artists of one :class:`ViewSpec` once, draws
everything that never changes (axes, tick labels, headers) into a cached
background, and afterwards redraws only the groups of artists whose pixels
change (a panel, a title, the note, the colour bar), each onto its region of
that background, before the canvas buffer is encoded as PNG. No layout engine
runs per frame and no artist is ever added.
"""

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg

from jacviz.plotting._fast import union_box
from jacviz.plotting._png import encode_png
from jacviz.plotting._view import HeatmapView

_PAD = 4  # pixels around a panel: its frame and outlines straddle the edge


class LiveView:
    """A picture of one structure, on its own figure, refilled frame after frame.

    Parameters
    ----------
    figure : matplotlib.figure.Figure
        An empty figure to build in; it gets an Agg canvas.
    scene : Scene
        The structure to build and the first frame to show.
    cmap : matplotlib.colors.Colormap

    Attributes
    ----------
    figure : matplotlib.figure.Figure
    spec : ViewSpec
        The structure this view draws.
    """

    def __init__(self, figure, scene, cmap):
        FigureCanvasAgg(figure)
        self.figure = figure
        self.spec = scene.spec
        self._view = HeatmapView(figure, scene.spec, cmap, tick_texts=True)
        self._view.show(scene.frame)
        keys = self._view.group_keys()
        for key in keys:
            for artist in self._view.group_artists(key):
                artist.set_animated(True)  # left out of the background
        figure.canvas.draw()
        self._background = self._pixels().copy()
        self._extents = {}
        self._draw_groups(keys, {})

    def update(self, frame):
        """Refill the artists with ``frame`` and redraw only the groups that changed.

        Returns
        -------
        list of tuple
            The groups redrawn (see :meth:`HeatmapView.show`).
        """
        dirty = self._view.show(frame)
        extents = {key: self._extent(key) for key in dirty}
        regions = [union_box([self._extents[key], extents[key]]) for key in dirty]
        dirty, regions = self._spread(dirty, regions)
        for region in regions:
            self._restore(region)
        self._draw_groups([key for key in self._view.group_keys() if key in dirty], extents)
        return dirty

    def png(self):
        """Return the PNG bytes of the canvas."""
        return encode_png(self._pixels())

    @property
    def nbytes(self):
        """Bytes of pixels this view keeps: its canvas and its background."""
        return 2 * self._background.nbytes

    def _spread(self, dirty, regions):
        """Add the clean groups whose pixels a restored region would erase."""
        dirty = list(dirty)
        grew = True
        while grew:
            grew = False
            for key in self._view.group_keys():
                if key in dirty:
                    continue
                if any(_overlap(self._extents[key], region) for region in regions):
                    dirty.append(key)
                    regions.append(self._extents[key])
                    grew = True
        return dirty, regions

    def _draw_groups(self, keys, extents):
        """Draw the artists of ``keys`` onto the canvas and note where they are."""
        for key in keys:
            for artist in self._view.group_artists(key):
                self.figure.draw_artist(artist)
            self._extents[key] = extents[key] if key in extents else self._extent(key)

    def _extent(self, key):
        """Display box covering every pixel the group ``key`` draws."""
        if key[0] == "panel":  # cell values are clipped to the axes
            return self._view.panels[key[1]].ax.bbox.padded(_PAD)
        renderer = self.figure.canvas.get_renderer()
        artists = self._view.group_artists(key)
        return union_box([artist.get_window_extent(renderer).padded(2) for artist in artists])

    def _pixels(self):
        """Return the canvas's RGBA buffer as a writable ``(H, W, 4)`` array."""
        return np.asarray(self.figure.canvas.buffer_rgba())

    def _restore(self, region):
        """Copy the background back into ``region`` (display coordinates)."""
        if not np.all(np.isfinite(region.extents)):
            return  # an empty text: nothing drawn there
        pixels = self._pixels()
        height, width = pixels.shape[:2]
        col0, col1 = max(0, int(np.floor(region.x0))), min(width, int(np.ceil(region.x1)))
        row0 = max(0, height - int(np.ceil(region.y1)))
        row1 = min(height, height - int(np.floor(region.y0)))
        pixels[row0:row1, col0:col1] = self._background[row0:row1, col0:col1]


def _overlap(a, b):
    """Whether two display boxes share any pixel."""
    return a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1
