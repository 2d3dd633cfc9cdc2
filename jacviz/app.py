"""The ``jacviz-app`` console script: the explorer alone, served by Voila.

Layer: ``app``. May import ``jacviz.widget`` only (it does not even need
that: the explorer runs in the Voila kernel), and the standard library; no
third-party imports, so ``jacviz-app --help`` works without Voila installed.

``jacviz-app`` writes a one-cell notebook that shows
:class:`jacviz.JacobianExplorer` into a temporary directory and runs
``python -m voila`` on it: code hidden (``--strip_sources=True``), bound to
``127.0.0.1`` unless told otherwise. Needs the ``app`` extra
(``pip install 'jacviz[app]'``). Stop it with Ctrl-C.
"""

import argparse
import json
import pathlib
import signal
import subprocess
import sys
import tempfile

__all__ = ["app_notebook", "main", "voila_command"]

DEFAULT_IP = "127.0.0.1"
NOTEBOOK_NAME = "jacviz_explorer.ipynb"
#: Kernel messages to the browser without Nagle's wait (``jacviz/server.py``).
CONNECTION = "jacviz.server.NoDelayConnection"


def app_notebook(function=None):
    """Build the app notebook (JSON): one code cell that shows the explorer.

    Parameters
    ----------
    function : str, optional
        Initial formula of the explorer; the explorer's default when omitted.
        Written as a Python string literal (``repr``), never as code.

    Returns
    -------
    dict
        An nbformat-4 notebook with a ``python3`` kernelspec.

    Examples
    --------
    >>> nb = app_notebook("sin(x)")
    >>> nb["cells"][0]["source"].splitlines()
    ['import jacviz', '', "jacviz.JacobianExplorer(function='sin(x)')"]
    >>> app_notebook()["cells"][0]["source"].splitlines()[-1]
    'jacviz.JacobianExplorer()'
    """
    arguments = "" if function is None else f"function={function!r}"
    source = f"import jacviz\n\njacviz.JacobianExplorer({arguments})"
    cell = {
        "cell_type": "code",
        "execution_count": None,
        "id": "jacviz-explorer",
        "metadata": {},
        "outputs": [],
        "source": source,
    }
    return {
        "cells": [cell],
        "metadata": {
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def voila_command(notebook, *, port=None, ip=DEFAULT_IP, open_browser=True):
    """Build the command line that serves ``notebook`` with Voila, sources stripped.

    Parameters
    ----------
    notebook : path-like
        The notebook to serve.
    port : int, optional
        TCP port; Voila's default (8866, or the next free one) when omitted.
    ip : str, optional
        Address to listen on; ``127.0.0.1`` keeps the app on this machine.
    open_browser : bool, optional
        Whether Voila opens a browser tab.

    Returns
    -------
    list of str
        Arguments for :func:`subprocess.run`, starting with this Python.

    Examples
    --------
    >>> cmd = voila_command("app.ipynb", port=9000, open_browser=False)
    >>> cmd[1:4]
    ['-m', 'voila', 'app.ipynb']
    >>> cmd[4:]  # doctest: +NORMALIZE_WHITESPACE
    ['--strip_sources=True',
     '--Voila.kernel_websocket_connection_class=jacviz.server.NoDelayConnection',
     '--Voila.ip=127.0.0.1', '--port=9000', '--no-browser']
    """
    command = [sys.executable, "-m", "voila", str(notebook), "--strip_sources=True"]
    command.append(f"--Voila.kernel_websocket_connection_class={CONNECTION}")
    command.append(f"--Voila.ip={ip}")
    if port is not None:
        command.append(f"--port={port}")
    if not open_browser:
        command.append("--no-browser")
    return command


def _port(text):
    """Argparse type: an int in 1..65535."""
    port = int(text)
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port must be in 1..65535, got {port}")
    return port


def _parser():
    """Build the argument parser of ``jacviz-app``."""
    parser = argparse.ArgumentParser(
        prog="jacviz-app",
        description="Serve the jacviz explorer alone (code hidden) with Voila.",
    )
    parser.add_argument("--port", type=_port, help="TCP port (default: Voila's, 8866)")
    parser.add_argument(
        "--ip", default=DEFAULT_IP, help=f"address to listen on (default: {DEFAULT_IP})"
    )
    parser.add_argument("--function", help="initial formula, e.g. 'x**3'")
    parser.add_argument(
        "--no-browser", dest="open_browser", action="store_false", help="do not open a browser"
    )
    return parser


def _interrupt(signum, frame):
    """Turn SIGTERM into the same clean stop as Ctrl-C."""
    raise KeyboardInterrupt


def _serve(command, folder):
    """Run Voila until it exits; on Ctrl-C or SIGTERM stop it so it can end its kernels."""
    with subprocess.Popen(command, cwd=folder) as voila:
        try:
            return voila.wait()
        except KeyboardInterrupt:
            voila.terminate()
            voila.wait()
            return 0


def main(argv=None):
    """Run ``jacviz-app``: write the app notebook, then serve it until Ctrl-C.

    On Ctrl-C or SIGTERM, Voila is asked to stop (SIGTERM), which shuts its
    kernels down, and the temporary notebook folder is removed.

    Parameters
    ----------
    argv : list of str, optional
        Arguments without the program name; ``sys.argv[1:]`` when omitted.

    Returns
    -------
    int
        Voila's exit status (0 after Ctrl-C or SIGTERM).
    """
    args = _parser().parse_args(argv)
    previous_handler = signal.signal(signal.SIGTERM, _interrupt)
    try:
        with tempfile.TemporaryDirectory(prefix="jacviz-app-") as folder:
            notebook = pathlib.Path(folder) / NOTEBOOK_NAME
            text = json.dumps(app_notebook(args.function), indent=1)
            notebook.write_text(text, encoding="utf-8")
            command = voila_command(
                notebook, port=args.port, ip=args.ip, open_browser=args.open_browser
            )
            return _serve(command, folder)
    finally:
        signal.signal(signal.SIGTERM, previous_handler)
