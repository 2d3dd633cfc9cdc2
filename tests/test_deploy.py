"""The deployment files for a class, checked without running them.

``deploy/jupyterhub/jupyterhub_config.py`` is loaded the way JupyterHub loads it
(traitlets' config loader) and must send students to notebooks that exist; it is
run end to end by ``tests/e2e/test_jupyterhub.py``. The Kubernetes values and
the Binder files are parsed and checked for what they point to: no cluster or
repo2docker runs here.
"""

import os
import stat
from pathlib import Path

import pytest
import yaml
from traitlets.config.loader import PyFileConfigLoader

REPO = Path(__file__).resolve().parents[1]
DEPLOY = REPO / "deploy"
NOTEBOOKS = REPO / "notebooks"


def hub_config(monkeypatch, **env):
    """Load the JupyterHub recipe with ``env`` set; return its Config."""
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    recipe = DEPLOY / "jupyterhub" / "jupyterhub_config.py"
    return PyFileConfigLoader(recipe.name, path=str(recipe.parent)).load_config()


@pytest.mark.parametrize(
    ("landing", "prefix"),
    [("explorer", "/voila/render/"), ("tour", "/lab/tree/")],
)
def test_the_hub_sends_students_to_a_notebook_that_exists(monkeypatch, landing, prefix):
    config = hub_config(monkeypatch, JACVIZ_HUB_LANDING=landing)
    url = config.Spawner.default_url
    assert url.startswith(prefix)
    assert (NOTEBOOKS / url.removeprefix(prefix)).exists()
    assert config.Spawner.notebook_dir == "~/jacviz-notebooks"
    assert "notebooks" in config.Spawner.cmd[2]  # each student's copy, made on first start


def test_the_hub_culls_servers_and_kernels_and_limits_each_student(monkeypatch):
    config = hub_config(
        monkeypatch,
        JACVIZ_HUB_CULL_SERVER="900",
        JACVIZ_HUB_MEM_LIMIT="2G",
        JACVIZ_HUB_CPU_LIMIT="0.5",
    )
    (culler,) = config.JupyterHub.services
    assert culler["command"][-2:] == ["jupyterhub_idle_culler", "--timeout=900"]
    (role,) = config.JupyterHub.load_roles
    assert "delete:servers" in role["scopes"] and role["services"] == ["idle-culler"]
    assert "--MappingKernelManager.cull_idle_timeout=600" in config.Spawner.args
    assert (config.Spawner.mem_limit, config.Spawner.cpu_limit) == ("2G", 0.5)
    assert config.JupyterHub.bind_url == "http://127.0.0.1:8000"


def test_the_hub_proxy_is_pinned():
    lock = (DEPLOY / "jupyterhub" / "package-lock.json").read_text()
    package = yaml.safe_load((DEPLOY / "jupyterhub" / "package.json").read_text())
    version = package["dependencies"]["configurable-http-proxy"]
    assert f'"node_modules/configurable-http-proxy": {{\n      "version": "{version}"' in lock


def test_the_kubernetes_values_land_on_the_explorer_with_culling_and_limits():
    values = yaml.safe_load((DEPLOY / "kubernetes" / "values.yaml").read_text())
    singleuser = values["singleuser"]
    landing = singleuser["defaultUrl"].removeprefix("/voila/render/jacviz-notebooks/")
    assert (NOTEBOOKS / landing).exists()
    assert "jacviz notebooks /home/jovyan/jacviz-notebooks" in str(singleuser["lifecycleHooks"])
    assert singleuser["memory"]["limit"] == "1G" and singleuser["cpu"]["limit"] == 1
    assert values["cull"] == {"enabled": True, "timeout": 3600, "every": 300}
    assert (
        "--MappingKernelManager.cull_connected=False" in values["hub"]["config"]["Spawner"]["args"]
    )
    dockerfile = (DEPLOY / "kubernetes" / "Dockerfile").read_text()
    assert 'pip install --no-cache-dir "jacviz[app]"' in dockerfile


def test_binder_installs_jacviz_with_voila_and_opens_a_notebook_that_exists():
    post_build = REPO / "binder" / "postBuild"
    assert os.stat(post_build).st_mode & stat.S_IXUSR
    text = post_build.read_text()
    assert 'pip install --no-cache-dir ".[app]"' in text
    for line in text.splitlines():
        if "urlpath=voila/render/" in line:
            assert (REPO / line.split("urlpath=voila/render/")[1]).exists()
