"""JupyterHub for a class: every student logs in and lands on their own jacviz explorer.

Run from a Python environment with ``pip install "jacviz[hub]"`` and
configurable-http-proxy (``npm install`` in this folder, or ``npm install -g
configurable-http-proxy``)::

    jupyterhub -f deploy/jupyterhub/jupyterhub_config.py

What it sets, each overridable by an environment variable or in a config that
loads this one (``load_subconfig``; ``tests/e2e/test_jupyterhub.py`` does that):

* where students land (``JACVIZ_HUB_LANDING``): ``explorer`` (default), the
  explorer alone in Voila, code hidden; ``tour``, the tour notebook in
  JupyterLab. Each student's server copies the notebooks into
  ``~/jacviz-notebooks`` on its first start (``jacviz notebooks``), so a
  student's edits stay theirs;
* culling: a student's server idle for ``JACVIZ_HUB_CULL_SERVER`` seconds
  (default 3600) is stopped by the ``jupyterhub-idle-culler`` service; inside a
  server, a kernel idle with no page connected for ``JACVIZ_HUB_CULL_KERNEL``
  seconds (default 600) is shut down;
* per-user limits: ``JACVIZ_HUB_MEM_LIMIT`` (default ``1G``) and
  ``JACVIZ_HUB_CPU_LIMIT`` (default ``1``). JupyterHub's local process spawner
  only passes them on (``MEM_LIMIT``, ``CPU_LIMIT``); a spawner that isolates
  users enforces them: ``jupyterhub-systemdspawner`` on one machine
  (``c.JupyterHub.spawner_class = "systemdspawner.SystemdSpawner"``),
  KubeSpawner on Kubernetes (``deploy/kubernetes/values.yaml``);
* where the hub listens: ``JACVIZ_HUB_URL`` (default ``http://127.0.0.1:8000``,
  this machine only; a class needs a public address and HTTPS in front).

Login is JupyterHub's default (the machine's users, PAM); a university puts
its own authenticator here (OAuth, LDAP...).
"""

import os
import sys
from pathlib import Path

c = get_config()  # noqa: F821 -- JupyterHub's config loader provides it

BIN = Path(sys.executable).parent
LANDINGS = {
    "explorer": "/voila/render/explorer_app.ipynb",
    "tour": "/lab/tree/01_batch_jacobian_tour.ipynb",
}
NOTEBOOKS = "jacviz-notebooks"  # in each student's home

landing = os.environ.get("JACVIZ_HUB_LANDING", "explorer")
cull_server = os.environ.get("JACVIZ_HUB_CULL_SERVER", "3600")
cull_kernel = os.environ.get("JACVIZ_HUB_CULL_KERNEL", "600")

c.JupyterHub.bind_url = os.environ.get("JACVIZ_HUB_URL", "http://127.0.0.1:8000")

# Each student's server: the notebooks copied on first start, then jupyterhub-singleuser.
c.Spawner.cmd = [
    "sh",
    "-c",
    f'"{BIN / "jacviz"}" notebooks "$HOME/{NOTEBOOKS}" >/dev/null 2>&1;'
    f' exec "{BIN / "jupyterhub-singleuser"}" "$@"',
    "jupyterhub-singleuser",  # $0 of the shell; the hub's arguments follow as "$@"
]
c.Spawner.notebook_dir = f"~/{NOTEBOOKS}"
c.Spawner.default_url = LANDINGS[landing]
c.Spawner.args = [
    f"--MappingKernelManager.cull_idle_timeout={cull_kernel}",
    "--MappingKernelManager.cull_interval=60",
    "--MappingKernelManager.cull_connected=False",
    "--VoilaConfiguration.strip_sources=True",
]
c.Spawner.mem_limit = os.environ.get("JACVIZ_HUB_MEM_LIMIT", "1G")
c.Spawner.cpu_limit = float(os.environ.get("JACVIZ_HUB_CPU_LIMIT", "1"))

# Idle servers are stopped by the idle-culler service, which the hub starts and stops.
c.JupyterHub.services = [
    {
        "name": "idle-culler",
        "command": [sys.executable, "-m", "jupyterhub_idle_culler", f"--timeout={cull_server}"],
    }
]
c.JupyterHub.load_roles = [
    {
        "name": "idle-culler",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["idle-culler"],
    }
]

# The proxy installed next to this file by `npm install`, if it is there.
proxy = Path(__file__).resolve().parent / "node_modules" / ".bin" / "configurable-http-proxy"
if proxy.exists():
    c.ConfigurableHTTPProxy.command = [str(proxy)]
