"""``jacviz app`` (also ``jacviz-app``): the explorer alone, served by Voila to a class.

Layer: ``app``. Imports no other layer of jacviz: the explorer runs in the
Voila kernel, which imports :mod:`jacviz` itself. The modules imported here use
the standard library only, so ``jacviz app --help`` works without Voila;
:mod:`jacviz.app.server` (the kernel cap, loaded by Voila) and
:mod:`jacviz.app.kernel` (the memory-limited kernel) use the ``app`` extra.

The app writes a one-cell notebook that shows :class:`jacviz.JacobianExplorer`
and a kernel spec into a temporary folder and runs ``python -m voila`` on it:
code hidden, bound to ``127.0.0.1`` unless told otherwise, a token required
off loopback, idle disconnected kernels culled, live kernels capped, each
kernel's memory limited, kernels preheated. Stop it with Ctrl-C.

``jacviz app --server solara`` runs ``python -m jacviz.classroom`` instead: every
student from one Python process (:mod:`jacviz.classroom`, the ``server`` extra),
with the same address, token, cap and culling options.
"""

from jacviz.app._classroom import (
    FUNCTION_ENV,
    TOKEN_ENV,
    classroom_command,
    classroom_environment,
    solara_environment,
)
from jacviz.app._extras import require_extra
from jacviz.app._notebook import app_notebook, kernel_spec, write_app_files
from jacviz.app._options import (
    AppSettings,
    add_arguments,
    choose_token,
    full_message,
    is_loopback,
    settings_from_args,
)
from jacviz.app._serve import DESCRIPTION, main, serve
from jacviz.app._voila import NO_DELAY_CONNECTION, app_url, voila_command, voila_environment

__all__ = [
    "DESCRIPTION",
    "FUNCTION_ENV",
    "NO_DELAY_CONNECTION",
    "TOKEN_ENV",
    "AppSettings",
    "add_arguments",
    "app_notebook",
    "app_url",
    "choose_token",
    "classroom_command",
    "classroom_environment",
    "full_message",
    "is_loopback",
    "kernel_spec",
    "main",
    "require_extra",
    "serve",
    "settings_from_args",
    "solara_environment",
    "voila_command",
    "voila_environment",
    "write_app_files",
]
