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

``jacviz app`` (Voila) loads :class:`AppConnection` instead: the same, and it
refuses a client that does not speak the kernel WebSocket protocol
``v1.kernel.websocket.jupyter.org``. Voila's handler reads every binary message
it sends as that protocol; with the older one (no subprotocol, what a script's
WebSocket gets by default) a reply carrying a picture makes it loop over a
header count of billions, and the whole server -- every student's page --
stops answering (Voila 0.5.13, jupyter-server 2.x). Browsers ask for v1.

Loaded only inside the Jupyter server (importing it imports jacviz, about half
a second once, when the server starts); imports jupyter_server, which the
``app`` extra installs.
"""

from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection

__all__ = ["AppConnection", "NoDelayConnection"]

#: The kernel WebSocket protocol Voila's page speaks (jupyter-server's "v1").
V1_PROTOCOL = "v1.kernel.websocket.jupyter.org"
#: WebSocket close code and reason for a client that does not speak it.
REFUSED = (1008, f"jacviz app speaks the {V1_PROTOCOL} protocol only")


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


class AppConnection(NoDelayConnection):
    """:class:`NoDelayConnection` that closes a connection not using :data:`V1_PROTOCOL`.

    The refused client gets close code 1008 and :data:`REFUSED`'s reason; the
    kernel is never connected to it, so nothing is counted or sent.

    Examples
    --------
    >>> issubclass(AppConnection, NoDelayConnection)
    True
    >>> REFUSED
    (1008, 'jacviz app speaks the v1.kernel.websocket.jupyter.org protocol only')
    """

    _refused = False

    async def connect(self):
        """Connect a v1 client as Jupyter does; close any other at once."""
        if self.subprotocol != V1_PROTOCOL:
            self._refused = True
            self.log.warning("kernel WebSocket without the %s protocol: closed", V1_PROTOCOL)
            self.websocket_handler.close(*REFUSED)
            return
        connected = super().connect()  # a Future, None, or (older servers) a coroutine
        if connected is not None:
            await connected

    def handle_incoming_message(self, incoming_msg):
        """Drop what a refused client sends; handle the rest as Jupyter does."""
        if not self._refused:
            super().handle_incoming_message(incoming_msg)

    def disconnect(self):
        """Nothing to undo for a refused client (it was never connected)."""
        if not self._refused:
            super().disconnect()
