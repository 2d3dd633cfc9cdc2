"""The class server: the explorer served to many browser sessions from one Python process.

Layer: classroom. ``jacviz app --server solara`` starts ``python -m
jacviz.classroom`` (the ``server`` extra: Solara, starlette, uvicorn). Solara
gives each browser page a virtual kernel of its own (its own widgets and
comms) inside this one process, and handles each page's messages on a thread
of its own; :func:`Page` makes one :class:`jacviz.JacobianExplorer` per
session. In front of Solara: the token gate (:class:`TokenGate`, off
loopback) and the class cap (``--max-kernels``). May import ``widget``,
``plotting`` (to warm up) and ``app`` (the cap's message); see
docs/architecture.md, "The class server".
"""

from jacviz.classroom._gate import COOKIE, TokenGate

# The Solara parts (``_page.Page``, ``_server.run``) are imported by ``python -m
# jacviz.classroom`` only once the SOLARA_* settings are in the environment.
__all__ = ["COOKIE", "TokenGate"]
