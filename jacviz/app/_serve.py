"""Serve the explorer: start Voila (with the app files) or the class server, stop it cleanly.

Standard library only (Voila and the class server run in a child process).
"""

import argparse
import signal
import subprocess
import sys
import tempfile

from jacviz.app._classroom import classroom_command, classroom_environment
from jacviz.app._extras import require_extra
from jacviz.app._notebook import write_app_files
from jacviz.app._options import add_arguments, is_loopback, settings_from_args
from jacviz.app._voila import app_url, voila_command, voila_environment

DESCRIPTION = "serve the explorer alone (code hidden) to a class, with Voila or from one process"


def serve(settings):
    """Serve the explorer with Voila until Ctrl-C or SIGTERM.

    The app notebook and its kernel spec go to a temporary folder, removed at
    the end; on Ctrl-C or SIGTERM Voila is asked to stop (SIGTERM), which shuts
    its kernels down.

    Parameters
    ----------
    settings : AppSettings
        Where to listen, the token, the kernel cap, memory limit, culling, preheating.

    Returns
    -------
    int
        Voila's exit status (0 after Ctrl-C or SIGTERM).

    Raises
    ------
    SystemExit
        When Voila is not installed (the message names the ``app`` extra).
    """
    if settings.server == "solara":
        return serve_classroom(settings)
    require_extra("voila", "Voila", "jacviz app")
    previous_handler = signal.signal(signal.SIGTERM, _interrupt)
    try:
        with tempfile.TemporaryDirectory(prefix="jacviz-app-") as folder:
            notebook = write_app_files(folder, settings.function, settings.memory_limit_mb)
            command = voila_command(notebook, settings)
            env = voila_environment(settings, folder)
            _announce(settings)
            return _run(command, folder, env)
    finally:
        signal.signal(signal.SIGTERM, previous_handler)


def serve_classroom(settings):
    """Serve the explorer to every page from one Python process (Solara) until stopped.

    Parameters
    ----------
    settings : AppSettings
        Where to listen, the token, the session cap (``max_kernels``), culling.

    Returns
    -------
    int
        The server's exit status (0 after Ctrl-C or SIGTERM).

    Raises
    ------
    SystemExit
        When Solara is not installed (the message names it).
    """
    require_extra("solara", "Solara", "jacviz app --server solara", extra="server")
    previous_handler = signal.signal(signal.SIGTERM, _interrupt)
    try:
        _announce(settings)
        return _run(classroom_command(settings), None, classroom_environment(settings))
    finally:
        signal.signal(signal.SIGTERM, previous_handler)


def main(argv=None):
    """Run ``jacviz-app ARGS``, the same as ``jacviz app ARGS``; return Voila's exit status."""
    parser = add_arguments(argparse.ArgumentParser(prog="jacviz-app", description=DESCRIPTION))
    return serve(settings_from_args(parser.parse_args(argv)))


def _announce(settings):
    """Tell the lecturer the address to share, and what it is open to."""
    lines = [f"jacviz app: the explorer will be at {app_url(settings)}"]
    if settings.token is None and not is_loopback(settings.ip):
        lines.append("jacviz app: --no-token: anyone who can reach this address may use it")
    elif settings.token is not None:
        lines.append("jacviz app: visitors need the token in this address (?token=...)")
    print("\n".join(lines), file=sys.stderr, flush=True)


def _interrupt(signum, frame):
    """Turn SIGTERM into the same clean stop as Ctrl-C."""
    raise KeyboardInterrupt


def _run(command, folder, env):
    """Run the server until it exits; on Ctrl-C or SIGTERM stop it so it can end its kernels."""
    with subprocess.Popen(command, cwd=folder, env=env) as server:
        try:
            return server.wait()
        except KeyboardInterrupt:
            server.terminate()
            server.wait()
            return 0
