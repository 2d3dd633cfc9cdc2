"""The Voila command line and environment for :class:`AppSettings`, and the URL to share.

Standard library only.
"""

import os
import socket
import sys

from jacviz.app._options import AppSettings

MANAGER = "jacviz.app.server.CappedKernelManager"
LOGIN = "jacviz.app.server.PrefixedIdentityProvider"
#: Seconds a cell's output may take to arrive (nbclient's default, 4 s, is too short
#: while a class's kernels start at once on two cores: cells then fail with a timeout).
IOPUB_TIMEOUT_S = 60
#: The kernel WebSocket without Nagle's delay (:mod:`jacviz.app.websocket`), for Voila and Lab.
NO_DELAY_CONNECTION = "jacviz.app.websocket.NoDelayConnection"
#: The same for the app, refusing clients without the v1 kernel protocol (see there).
APP_CONNECTION = "jacviz.app.websocket.AppConnection"


def voila_command(notebook, settings=None):
    """Build the command line that serves ``notebook`` with Voila, sources stripped.

    The token is not on it (other users of the machine can read command lines):
    :func:`voila_environment` passes it.

    Parameters
    ----------
    notebook : path-like
        The notebook to serve.
    settings : AppSettings, optional
        Where to listen, the kernel cap, culling and preheating; the defaults
        when omitted.

    Returns
    -------
    list of str
        Arguments for :class:`subprocess.Popen`, starting with this Python.

    Examples
    --------
    >>> cmd = voila_command("app.ipynb", AppSettings(port=9000, open_browser=False))
    >>> cmd[1:6]
    ['-m', 'voila', 'app.ipynb', '--strip_sources=True', '--Voila.ip=127.0.0.1']
    >>> [flag for flag in cmd if "cull" in flag]
    ['--MappingKernelManager.cull_idle_timeout=120', '--MappingKernelManager.cull_interval=30']
    """
    settings = AppSettings() if settings is None else settings
    command = [sys.executable, "-m", "voila", str(notebook), "--strip_sources=True"]
    command += [
        f"--Voila.ip={settings.ip}",
        f"--Voila.port={settings.port}",
        "--Voila.port_retries=0",
        f"--Voila.base_url={settings.base_url}",
        f"--VoilaConfiguration.multi_kernel_manager_class={MANAGER}",
        f"--CappedKernelManager.max_kernels={settings.max_kernels}",
        f"--Voila.kernel_websocket_connection_class={APP_CONNECTION}",
        f"--VoilaExecutor.iopub_timeout={IOPUB_TIMEOUT_S}",
    ]
    command += _culling_flags(settings)
    if settings.preheat:
        command += ["--preheat_kernel=True", f"--pool_size={settings.preheat}"]
    if settings.token is not None:
        command += ["--token", f"--Voila.identity_provider_class={LOGIN}"]
    if not settings.open_browser:
        command.append("--no-browser")
    return command


def voila_environment(settings, jupyter_path, environ=None):
    """Return the environment Voila runs in: the app's kernel spec first, the token.

    Parameters
    ----------
    settings : AppSettings
        Its ``token`` becomes ``JUPYTER_TOKEN``.
    jupyter_path : path-like
        The folder holding ``kernels/jacviz-app/``.
    environ : mapping, optional
        The environment to start from; ``os.environ`` when omitted.

    Returns
    -------
    dict

    Examples
    --------
    >>> env = voila_environment(AppSettings(token="s3cret-token"), "/tmp/app", {"PATH": "/bin"})
    >>> env["JUPYTER_PATH"], env["JUPYTER_TOKEN"]
    ('/tmp/app', 's3cret-token')
    """
    env = dict(os.environ if environ is None else environ)
    env["JUPYTER_PATH"] = os.pathsep.join(
        part for part in (str(jupyter_path), env.get("JUPYTER_PATH")) if part
    )
    env.pop("JUPYTER_TOKEN", None)
    if settings.token is not None:
        env["JUPYTER_TOKEN"] = settings.token
    return env


def app_url(settings):
    """Return the address to give the class, with the token when there is one.

    Parameters
    ----------
    settings : AppSettings

    Returns
    -------
    str

    Examples
    --------
    >>> app_url(AppSettings(port=9000, base_url="/jacviz/", token="s3cret-token"))
    'http://127.0.0.1:9000/jacviz/?token=s3cret-token'
    """
    host = settings.ip
    if host in ("", "0.0.0.0", "::"):
        host = socket.gethostname()
    elif ":" in host:
        host = f"[{host}]"
    query = "" if settings.token is None else f"?token={settings.token}"
    return f"http://{host}:{settings.port}{settings.base_url}{query}"


def _culling_flags(settings):
    """Jupyter-server's culling settings: which kernels go, how soon, how often checked."""
    if not settings.cull_after:
        return []
    interval = max(1, min(60, settings.cull_after // 4))
    flags = [
        f"--MappingKernelManager.cull_idle_timeout={settings.cull_after}",
        f"--MappingKernelManager.cull_interval={interval}",
    ]
    if settings.cull_connected:
        flags.append("--MappingKernelManager.cull_connected=True")
    return flags
