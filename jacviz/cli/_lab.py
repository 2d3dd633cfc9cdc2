"""``jacviz lab [DIR]``: JupyterLab on the tour, the notebooks copied into DIR if missing.

``make lab`` runs ``jacviz lab notebooks``. As root (Docker, many cloud VMs)
JupyterLab refuses to start without ``--allow-root``; this command adds it then,
and only then. Kernel messages reach the browser without Nagle's delay
(:mod:`jacviz.app.websocket`). Options it does not know (``--no-browser``,
``--port=8890``, ...) go to JupyterLab.
"""

import os
import sys

from jacviz.app import NO_DELAY_CONNECTION, require_extra
from jacviz.cli._notebooks import add_folder_argument, copy_notebooks

NAME = "lab"
HELP = "open JupyterLab on the tour (copies the notebooks into DIR first if missing)"
PASS_THROUGH = True
TOUR = "01_batch_jacobian_tour.ipynb"


def add_arguments(parser):
    """Add ``DIR``; JupyterLab's own options pass through."""
    add_folder_argument(
        parser, "the notebooks' folder; other options go to JupyterLab, e.g. --no-browser"
    )


def lab_command(passed=(), *, as_root=None):
    """Build the command that opens JupyterLab on the tour, in the notebooks' folder.

    Parameters
    ----------
    passed : sequence of str, optional
        JupyterLab options given by the user.
    as_root : bool, optional
        Whether this process runs as root; asked of the system when omitted.

    Returns
    -------
    list of str
        This Python running ``-m jupyterlab``, with ``--allow-root`` as root only.

    Examples
    --------
    >>> lab_command(["--no-browser"], as_root=False)[1:]  # doctest: +NORMALIZE_WHITESPACE
    ['-m', 'jupyterlab',
     '--ServerApp.kernel_websocket_connection_class=jacviz.app.websocket.NoDelayConnection',
     '--no-browser', '01_batch_jacobian_tour.ipynb']
    >>> "--allow-root" in lab_command(as_root=True)
    True
    """
    if as_root is None:
        as_root = hasattr(os, "geteuid") and os.geteuid() == 0
    root = ["--allow-root"] if as_root and "--allow-root" not in passed else []
    no_delay = f"--ServerApp.kernel_websocket_connection_class={NO_DELAY_CONNECTION}"
    return [sys.executable, "-m", "jupyterlab", *root, no_delay, *passed, TOUR]  # passed wins


def run(args):
    """Copy the missing notebooks, then become JupyterLab (``exec``) in their folder."""
    require_extra("jupyterlab", "JupyterLab", "jacviz lab")
    copied = copy_notebooks(args.folder, only_missing=True)
    if copied:
        names = ", ".join(path.name for path in copied)
        print(f"jacviz lab: copied {names} to {args.folder}", file=sys.stderr, flush=True)
    command = lab_command(args.passed)
    os.chdir(args.folder)
    os.execv(command[0], command)
