"""What the optional ``app`` extra brings, and the message when it is missing.

Standard library only.
"""

import importlib.util
import sys

INSTALL = 'pip install "jacviz[{extra}]"'


def require_extra(module, name, command, extra="app"):
    """Stop ``command`` with a clear message when ``module`` (of an extra) is missing.

    Parameters
    ----------
    module : str
        The module to find, e.g. ``"voila"``.
    name : str
        What the user knows it as, e.g. ``"Voila"``.
    command : str
        The command that needs it, e.g. ``"jacviz app"``.
    extra : str, optional
        The extra that installs it: ``"app"`` (Voila, JupyterLab) or
        ``"server"`` (Solara, for ``jacviz app --server solara``).

    Raises
    ------
    SystemExit
        With a message naming the extra, when ``module`` is not installed
        for this Python.

    Examples
    --------
    >>> require_extra("json", "the json module", "jacviz app")
    >>> require_extra("no_such_module", "Voila", "jacviz app")
    Traceback (most recent call last):
    ...
    SystemExit: jacviz app needs Voila, which is not installed for ...
    >>> require_extra("no_such_module", "Solara", "jacviz app --server solara", extra="server")
    Traceback (most recent call last):
    ...
    SystemExit: jacviz app --server solara needs Solara, ... pip install "jacviz[server]"...
    """
    if importlib.util.find_spec(module) is None:
        raise SystemExit(
            f"{command} needs {name}, which is not installed for {sys.executable}.\n"
            f"Install jacviz with its {extra} extra:  {INSTALL.format(extra=extra)}\n"
            f'(from a clone of the repository:  pip install -e ".[{extra}]")'
        )
