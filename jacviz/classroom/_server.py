"""Run the class server: Solara's app behind the token gate and the class cap, on uvicorn.

Layer: classroom. Runs in the one server process that ``jacviz app --server
solara`` starts; imports solara, starlette and uvicorn (the ``server`` extra).
"""

from jacviz.classroom._gate import TokenGate


def class_app(token, max_sessions, base_url="/"):
    """Return the ASGI app: Solara's, static files cached, capped, behind the token gate.

    Solara's per-message IPython events are made cheap (:mod:`._events`).

    Under ``base_url`` when it is not ``/``.

    Call after the environment holds :func:`jacviz.app.solara_environment` (Solara reads
    its settings when imported).

    Parameters
    ----------
    token : str or None
        The class token; None for none.
    max_sessions : int
        Most live sessions (Solara virtual kernels); 0 for no cap.
    base_url : str, optional
        URL prefix, with a leading and trailing slash.

    Returns
    -------
    ASGI application
    """
    import solara.server.starlette as solara_server  # reads the SOLARA_* settings
    from solara.server import patch
    from starlette.applications import Starlette
    from starlette.routing import Mount

    from jacviz.classroom._cap import ClassCap
    from jacviz.classroom._events import quiet_events
    from jacviz.classroom._static import StaticCache

    quiet_events(patch)
    app = ClassCap(StaticCache(solara_server.app), max_sessions)
    if base_url != "/":
        app = Starlette(routes=[Mount(base_url.rstrip("/"), app=app)])
    return TokenGate(app, token)


def run(ip, port, token, max_sessions, base_url="/"):
    """Serve until Ctrl-C or SIGTERM (uvicorn's own handling); return 0."""
    import uvicorn

    from jacviz.plotting._fast import drawing_switch

    drawing_switch()  # probe the fast drawing path once, before sessions draw in threads
    app = class_app(token, max_sessions, base_url)
    uvicorn.run(app, host=ip, port=port, log_level="warning", access_log=False)
    return 0
