"""A Jupyter server setting: kernel messages reach the browser without Nagle's wait.

Layer: ``server``, a leaf at the top: imports ``jupyter_server`` only, and no
module of jacviz imports it. A Jupyter server loads it by name::

    jupyter lab --ServerApp.kernel_websocket_connection_class=jacviz.server.NoDelayConnection
    voila app.ipynb --Voila.kernel_websocket_connection_class=jacviz.server.NoDelayConnection

(``make lab``, ``make app`` and ``jacviz-app`` do; importing it imports jacviz,
about half a second once, when the server starts).

Why: Jupyter's server leaves Nagle's algorithm on for the WebSocket to each
browser. For every message it handles, ipykernel first publishes a small
"busy" status; with Nagle's algorithm on, every later message of the update --
the new picture among them -- waits in the server until the browser has
acknowledged that status, and browsers delay acknowledgements (up to 40 ms on
Linux, 200 ms on Windows). ``TCP_NODELAY`` sends each message as it comes.
Numbers: benchmarks/README.md, "Browser round trip".
"""

from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection

__all__ = ["NoDelayConnection"]


class NoDelayConnection(ZMQChannelsWebsocketConnection):
    """Jupyter's kernel WebSocket connection, with ``TCP_NODELAY`` set when a browser connects.

    Everything else is Jupyter's own ``ZMQChannelsWebsocketConnection``.

    Examples
    --------
    >>> from jupyter_server.services.kernels.connection.base import (
    ...     BaseKernelWebsocketConnection,
    ... )
    >>> issubclass(NoDelayConnection, BaseKernelWebsocketConnection)
    True
    """

    def connect(self):
        """Set ``TCP_NODELAY`` on the browser's socket, then connect as Jupyter does."""
        handler = self.websocket_handler
        if handler.ws_connection is not None:  # open: the socket exists
            handler.set_nodelay(True)
        return super().connect()
