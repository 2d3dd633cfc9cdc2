"""The page Solara shows each browser session: one explorer of its own.

Layer: classroom. Solara renders :func:`Page` once per virtual kernel (one per
browser page), so every student gets a fresh :class:`jacviz.JacobianExplorer`
(:func:`._session.new_explorer`); the widgets it makes belong to that kernel
alone (Solara keeps one widget registry per kernel).
"""

import solara

from jacviz.classroom._session import new_explorer
from jacviz.plotting._rc import share_rcparams


@solara.component
def Page():
    """Show this session's explorer (made on the first render, kept for the session)."""
    share_rcparams()  # Solara scopes them once its app has imported matplotlib
    explorer = solara.use_memo(new_explorer, dependencies=[])
    solara.display(explorer)
