"""What JupyterLab and Voila load for ``jacviz lab`` and ``jacviz app``: messages without delay.

Jupyter's server leaves Nagle's algorithm on for the WebSocket to each
browser. For every message it handles, ipykernel first publishes a small
"busy" status; with Nagle's algorithm on, every later message of the update --
the new picture among them -- waits in the server until the browser has
acknowledged that status, and browsers delay acknowledgements (up to 40 ms on
Linux, 200 ms on Windows). :class:`NoDelayConnection` sets ``TCP_NODELAY``, so
each message goes out as it comes. ``jacviz lab`` and ``jacviz app`` pass::

    --ServerApp.kernel_websocket_connection_class=jacviz.app.websocket.NoDelayConnection
    --Voila.kernel_websocket_connection_class=jacviz.app.websocket.NoDelayConnection

and any JupyterLab or Voila can be given the same option. Numbers:
benchmarks/README.md, "Browser round trip".

Loaded only inside the Jupyter server (importing it imports jacviz, about half
a second once, when the server starts); imports jupyter_server, which the
``app`` extra installs.
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
