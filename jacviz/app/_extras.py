"""What the optional ``app`` extra brings, and the message when it is missing.

Standard library only.
"""

import importlib.util
import sys

INSTALL_APP = 'pip install "jacviz[app]"'


def require_extra(module, name, command):
    """Stop ``command`` with a clear message when ``module`` (of the ``app`` extra) is missing.

    Parameters
    ----------
    module : str
        The module to find, e.g. ``"voila"``.
    name : str
        What the user knows it as, e.g. ``"Voila"``.
    command : str
        The command that needs it, e.g. ``"jacviz app"``.

    Raises
    ------
    SystemExit
        With a message naming the ``app`` extra, when ``module`` is not installed
        for this Python.

    Examples
    --------
    >>> require_extra("json", "the json module", "jacviz app")
    >>> require_extra("no_such_module", "Voila", "jacviz app")
    Traceback (most recent call last):
    ...
    SystemExit: jacviz app needs Voila, which is not installed for ...
    """
    if importlib.util.find_spec(module) is None:
        raise SystemExit(
            f"{command} needs {name}, which is not installed for {sys.executable}.\n"
            f"Install jacviz with its app extra:  {INSTALL_APP}\n"
            '(from a clone of the repository:  pip install -e ".[app]")'
        )
