"""What Voila loads for ``jacviz app``: a kernel manager with a cap, login under the prefix.

Voila starts one kernel per page load. ``jacviz app --max-kernels N`` makes
Voila use :class:`CappedKernelManager` (``--VoilaConfiguration.multi_kernel_manager_class``),
which refuses the kernel after the N-th with HTTP 503 and a page that says the
class is full and to try again in a minute, instead of letting page loads
exhaust the machine. Kernels still starting count: thirty students opening the
page in the same second cannot slip past the cap. Culling (idle kernels with no
page connected, ``MappingKernelManager.cull_idle_timeout``) frees places again.

Culling gives every kernel one full ``cull_idle_timeout`` from the first time
the culler sees it outside Voila's pool: a preheated kernel has been idle since
it drew the explorer, and would otherwise be culled in the seconds between being
handed to a visitor and that visitor's page connecting to it. A kernel whose
page has never connected gets at least ``connect_grace`` (300 s) instead: when a
class opens the page at once, pages connect minutes after their kernels started
on a busy machine, and a short ``--cull-after`` must not end them first. Once a
page has connected, the kernel is culled ``cull_idle_timeout`` after it left.

With preheated kernels (``--preheat``), Voila wraps this class in its pool
manager; the pool's kernels count toward the cap. Voila starts every kernel
its pool lacks at once, one second after a visitor took one: when a class
arrives together, thirty kernels then start while the server still sends the
students their pages, each kernel taking as much CPU as the server, and every
student waited ~22 s for a first picture on two cores although thirty
preheated kernels were ready (benchmarks/README.md, "Serving a class"). So pool
kernels start one at a time, ``pool_start_spacing`` seconds apart (by default
:data:`POOL_KERNEL_CPU_S` per half of the machine's cores): the class keeps
half the machine while the pool fills, at server start as after a rush. A refill refused at the cap
leaves a failed pool entry, which tells the next visitor that the class is
full until Voila's culler drops it at its next pass; the pool is filled again
after the next kernel started for a visitor.

Voila 0.5 registers its login page at ``/login`` whatever the ``--base-url``,
while sending visitors without the token to ``BASE_URL/login``: behind a prefix
that is a redirect loop. :class:`PrefixedIdentityProvider`
(``--Voila.identity_provider_class``) registers the login page under the prefix.

Loaded only inside the Voila server; imports jupyter_server, tornado and
traitlets, which the ``app`` extra installs.
"""

import asyncio
import os
import time

from jupyter_server.auth.identity import PasswordIdentityProvider
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from jupyter_server.utils import url_path_join
from tornado import web
from traitlets import Float, Integer, default

from jacviz.app._options import full_message

__all__ = [
    "CONNECT_GRACE_S",
    "POOL_KERNEL_CPU_S",
    "CappedKernelManager",
    "PrefixedIdentityProvider",
    "full_message",
]

#: Seconds a kernel whose page never connected is kept, at least (see the module's text).
CONNECT_GRACE_S = 300.0
#: CPU seconds an app kernel takes to start and draw the explorer (measured: 1.3-1.7 s
#: per student on the 2-core box, benchmarks/README.md), rounded up.
POOL_KERNEL_CPU_S = 2.0


def default_pool_spacing(cores=None):
    """Seconds between two pool kernel starts that leave half of ``cores`` to the class.

    Examples
    --------
    >>> default_pool_spacing(2), default_pool_spacing(16)
    (2.0, 0.25)
    """
    cores = cores or os.cpu_count() or 1
    return POOL_KERNEL_CPU_S / max(1.0, cores / 2)


class CappedKernelManager(AsyncMappingKernelManager):
    """A kernel manager that starts at most ``max_kernels`` kernels at once.

    Examples
    --------
    >>> CappedKernelManager(max_kernels=2).live_kernels()
    0
    """

    max_kernels = Integer(
        0, config=True, help="Most kernels alive (or starting) at once; 0 for no cap."
    )
    connect_grace = Float(
        CONNECT_GRACE_S,
        config=True,
        help="Seconds a kernel no page has connected to yet is kept before it may be "
        "culled (at least cull_idle_timeout).",
    )
    pool_start_spacing = Float(
        config=True,
        help="Seconds between two starts of kernels for Voila's preheated pool "
        "(default: POOL_KERNEL_CPU_S per half of the machine's cores).",
    )

    @default("pool_start_spacing")
    def _pool_start_spacing_default(self):
        return default_pool_spacing()

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._starting = 0
        self._first_seen = {}  # kernel id -> when the culler first saw it (monotonic s)
        self._connected = set()  # ids of the kernels a page has connected to
        self._next_pool_start = 0.0  # when the next pool kernel may start (monotonic s)

    def live_kernels(self):
        """Return the number of kernels running or being started."""
        return len(self.list_kernel_ids()) + self._starting

    async def start_kernel(self, *, kernel_id=None, **kwargs):
        """Start a kernel, or raise HTTP 503 when ``max_kernels`` are already live.

        A kernel for Voila's pool first waits for its turn (``pool_start_spacing``).
        """
        if _for_the_pool(kwargs):
            await self._pool_turn()
        if kernel_id is None and 0 < self.max_kernels <= self.live_kernels():
            self.log.warning("jacviz app: %d kernels live, refusing another", self.max_kernels)
            raise web.HTTPError(503, reason=full_message(self.max_kernels))
        self._starting += 1
        try:
            kernel_id = await super().start_kernel(kernel_id=kernel_id, **kwargs)
        finally:
            self._starting -= 1
        if not _for_the_pool(kwargs):
            self._refill_pool()
        return kernel_id

    def notify_connect(self, kernel_id):
        """Count a page's connection to a kernel, and remember that one connected."""
        self._connected.add(kernel_id)
        return super().notify_connect(kernel_id)

    async def cull_kernel_if_idle(self, kernel_id):
        """Cull an idle kernel as jupyter-server does, once it had its grace.

        The grace runs from the first time the culler sees the kernel: one
        ``cull_idle_timeout``, or ``connect_grace`` if longer while no page has
        connected to the kernel yet.
        """
        first_seen = self._first_seen.setdefault(kernel_id, time.monotonic())
        grace = self.cull_idle_timeout
        if kernel_id not in self._connected:
            grace = max(grace, self.connect_grace)
        if time.monotonic() - first_seen < grace:
            return None
        return await super().cull_kernel_if_idle(kernel_id)

    async def shutdown_kernel(self, kernel_id, *args, **kwargs):
        """Shut a kernel down and forget what the culler knew of it."""
        self._first_seen.pop(kernel_id, None)
        self._connected.discard(kernel_id)
        return await super().shutdown_kernel(kernel_id, *args, **kwargs)

    async def _pool_turn(self):
        """Wait until ``pool_start_spacing`` s after the previous pool kernel's turn."""
        now = time.monotonic()
        turn = max(now, self._next_pool_start)
        self._next_pool_start = turn + self.pool_start_spacing
        if turn > now:
            await asyncio.sleep(turn - now)

    def _refill_pool(self):
        """Fill Voila's pool of preheated kernels again if it ran dry (no-op without one)."""
        fill = getattr(self, "fill_if_needed", None)  # only Voila's pool manager has it
        notebook = getattr(self, "notebook_path", None)
        if fill is not None and notebook is not None and self.get_pool_size(notebook) == 0:
            fill(notebook_name=notebook)


def _for_the_pool(kwargs):
    """Whether Voila starts this kernel for its preheated pool (not for a visitor)."""
    return kwargs.get("env", {}).get("VOILA_PREHEAT") == "True"


class PrefixedIdentityProvider(PasswordIdentityProvider):
    """Jupyter-server's token login, with its pages under Voila's ``base_url``."""

    def get_handlers(self):
        """Return the login and logout handlers, their paths under ``base_url``."""
        base_url = self.parent.base_url
        return [
            (url_path_join(base_url, path), handler) for path, handler in super().get_handlers()
        ]
