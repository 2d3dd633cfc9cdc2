"""Teaching views that need both the maths and a picture.

Layer: ``views``. May import ``jacviz.errors``, ``jacviz.expressions``,
``jacviz.jacobians`` and ``jacviz.plotting``, plus numpy and matplotlib's
Figure API (never pyplot).

:func:`plot_linear_map` shows the Jacobian as what it is: the best linear map
near a point. A small grid and circle around ``x[b]`` are sent through ``f``
and through the linearisation ``f(x[b]) + J[b]·(u − x[b])``; close to ``x[b]``
the two images agree, further out they part. :func:`linear_map_geometry`
computes the curves, for tests and for other views; :class:`LinearMapView`
keeps the two panels on a figure and refills them (the explorer's radius
and example sliders).

Files: ``_geometry`` (the curves, ``det J`` and the area ratio: maths only),
``_linear_map`` (drawing them).
"""

from jacviz.views._geometry import LinearMapGeometry, linear_map_geometry
from jacviz.views._linear_map import LinearMapView, plot_linear_map

__all__ = ["LinearMapGeometry", "LinearMapView", "linear_map_geometry", "plot_linear_map"]
