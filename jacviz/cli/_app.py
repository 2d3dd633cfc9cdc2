"""``jacviz app``: the explorer alone, served by Voila or from one process (``--server solara``)."""

from jacviz import app

NAME = "app"
HELP = app.DESCRIPTION


def add_arguments(parser):
    """Add ``--ip``, ``--port``, ``--token``, the kernel limits, ... (see :mod:`jacviz.app`)."""
    app.add_arguments(parser)


def run(args):
    """Serve the explorer until Ctrl-C; return the server's exit status."""
    return app.serve(app.settings_from_args(args))
