"""Timestamps of the explorer's round trip, taken in the page and joined with the kernel's.

Shared by the browser tests (which print the input -> new picture time) and
``benchmarks/bench_browser.py`` (which prints every phase). :data:`TIMING_JS`,
installed before any page script runs, records with ``performance.now()``:

* ``inputs``: every ``keydown`` and ``click`` (its ``event.timeStamp``): what
  makes a widget act (a click acts on release, not on press);
* ``sent`` / ``received``: every kernel WebSocket message both ways, with its
  channel, type, ids, comm method, state keys, ``render #N`` of a status line,
  byte and buffer sizes and whether a buffer is a PNG -- parsed on arrival from
  the frames (Jupyter's ``v1`` protocol, or the older JSON and binary frames);
* ``images``: each new ``src`` of the explorer's ``<img>``, when it has loaded
  (``load``) and is decoded (``img.decode()``), and when the frame showing it
  has been painted (a task queued by the next ``requestAnimationFrame``
  callback runs after that paint);
* ``resizes``: the picture's new box sizes (a ``ResizeObserver``: after layout);
* ``statuses``: each ``render #N`` the status line shows.

The kernel's times come from ``$JACVIZ_TRACE`` (``jacviz/widget/_trace.py``) in
``time.perf_counter()`` seconds, the machine's monotonic clock;
:func:`clock_offset` estimates how far the page's clock is from it.
"""

import json
import time
from typing import NamedTuple

TIMING_JS = r"""
(() => {
  if (window.__jacvizTiming) return;
  const log = {inputs: [], sent: [], received: [], images: [], resizes: [], statuses: []};
  window.__jacvizTiming = log;
  const now = () => performance.now();
  const decoder = new TextDecoder();

  for (const type of ["keydown", "click"]) {
    addEventListener(type, (event) => {
      log.inputs.push({type, key: event.key || "", t: event.timeStamp});
    }, true);
  }

  const isPng = (buffer) => {
    const bytes = new Uint8Array(buffer, 0, Math.min(4, buffer.byteLength));
    return bytes.length === 4 && bytes[0] === 0x89 && bytes[1] === 0x50;
  };
  function frames(data, protocol) {  // -> [message JSON, buffers]
    if (typeof data === "string") return [JSON.parse(data), []];
    const view = new DataView(data);
    const offsets = [];
    if (protocol.startsWith("v1")) {  // channel, header, parent, metadata, content, buffers
      const count = Number(view.getBigUint64(0, true));
      for (let i = 1; i <= count; i++) offsets.push(Number(view.getBigUint64(8 * i, true)));
      const part = (i) => data.slice(offsets[i], offsets[i + 1]);
      const json = (i) => JSON.parse(decoder.decode(part(i)));
      const message = {channel: decoder.decode(part(0)), header: json(1),
                       parent_header: json(2), content: json(4)};
      const buffers = [];
      for (let i = 5; i < offsets.length - 1; i++) buffers.push(part(i));
      return [message, buffers];
    }
    const count = view.getUint32(0);  // the older binary frame: JSON, then buffers
    for (let i = 1; i <= count; i++) offsets.push(view.getUint32(4 * i));
    offsets.push(data.byteLength);
    const parts = offsets.slice(0, -1).map((start, i) => data.slice(start, offsets[i + 1]));
    return [JSON.parse(decoder.decode(parts[0])), parts.slice(1)];
  }
  function summary(data, protocol) {
    const bytes = typeof data === "string" ? data.length : data.byteLength || 0;
    try {
      const [message, buffers] = frames(data, protocol);
      const content = message.content || {};
      const body = content.data || {};
      const state = body.state || {};
      const text = typeof state.value === "string" ? state.value : "";
      const render = /render #(\d+)/.exec(text);
      return {
        bytes, channel: message.channel || "", type: (message.header || {}).msg_type || "",
        id: (message.header || {}).msg_id || "", parent: (message.parent_header || {}).msg_id || "",
        method: body.method || "", keys: Object.keys(state), comm: content.comm_id || "",
        execution_state: content.execution_state || "", render: render ? Number(render[1]) : null,
        buffers: buffers.map((b) => b.byteLength), png: buffers.some(isPng),
      };
    } catch (error) {
      return {bytes, error: String(error)};
    }
  }
  const NativeWebSocket = window.WebSocket;
  class TimedWebSocket extends NativeWebSocket {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", (event) => {
        const t = now();
        log.received.push({t, ...summary(event.data, this.protocol)});
      });
    }
    send(data) {
      const t = now();
      log.sent.push({t, ...summary(data, this.protocol)});
      return super.send(data);
    }
  }
  window.WebSocket = TimedWebSocket;

  let image = null;
  let status = null;
  const onSrc = new MutationObserver(() => {
    const entry = {t_src: now(), src: image.src};
    log.images.push(entry);
    const shown = image;
    shown.addEventListener("load", () => { entry.t_load = now(); }, {once: true});
    shown.decode().then(() => {
      entry.t_decoded = now();
      entry.width = shown.naturalWidth;
      entry.height = shown.naturalHeight;
      requestAnimationFrame(() => {
        entry.t_frame = now();
        setTimeout(() => { entry.t_painted = now(); }, 0);
      });
    }, (error) => { entry.t_failed = now(); entry.error = String(error); });
  });
  const onResize = new ResizeObserver((entries) => {
    for (const entry of entries) {
      const box = entry.contentRect;
      log.resizes.push({t: now(), width: box.width, height: box.height});
    }
  });
  const onStatus = new MutationObserver(() => {
    const render = /render #(\d+)/.exec(status.textContent);
    log.statuses.push({t: now(), render: render ? Number(render[1]) : null});
  });
  setInterval(() => {  // (re)attach to the explorer's picture and status line once shown
    const img = document.querySelector("img.jacviz-image, .jacviz-image img");
    if (img && img !== image) {
      onSrc.disconnect();
      onResize.disconnect();
      image = img;
      onSrc.observe(img, {attributes: true, attributeFilter: ["src"]});
      onResize.observe(img);
    }
    const line = document.querySelector(".jacviz-status");
    if (line && line !== status) {
      onStatus.disconnect();
      status = line;
      onStatus.observe(line, {childList: true, subtree: true, characterData: true});
    }
  }, 100);
})();
"""

_DRAIN_JS = """() => {
  const log = window.__jacvizTiming;
  const out = JSON.parse(JSON.stringify(log));
  for (const key of Object.keys(log)) log[key].length = 0;
  return out;
}"""

# Done: the status line shows ``render #target``, every new picture is painted (or failed),
# and the kernel is idle again after the last comm message the page sent.
_DONE_JS = """(target) => {
  const log = window.__jacvizTiming;
  if (!log.statuses.some((s) => s.render === target)) return false;
  if (!log.images.length || log.images.some((i) => !i.t_painted && !i.t_failed)) return false;
  const comms = log.sent.filter((m) => m.type === "comm_msg");
  if (!comms.length) return true;
  const last = comms[comms.length - 1].id;
  return log.received.some((m) => m.execution_state === "idle" && m.parent === last);
}"""

_ATTACHED_JS = """() => {
  const img = document.querySelector("img.jacviz-image, .jacviz-image img");
  return Boolean(window.__jacvizTiming && img && img.complete);
}"""


def install(context):
    """Record the round trip's timestamps in every page of ``context`` (before its scripts run)."""
    context.add_init_script(TIMING_JS)


def clock_offset(page, rounds=15):
    """Return ``(offset, error)`` in ms: ``perf_counter() * 1000 ≈ performance.now() + offset``.

    Each round reads the page's clock between two of this process's; the round
    with the shortest trip bounds the error by half of it.
    """
    best = None
    for _ in range(rounds):
        before = time.perf_counter() * 1000
        page_now = page.evaluate("performance.now()")
        after = time.perf_counter() * 1000
        if best is None or after - before < best[1] * 2:
            best = ((before + after) / 2 - page_now, (after - before) / 2)
    return best


class Timed(NamedTuple):
    """One action, as the page saw it: ``log`` (see the module docstring), in page ms."""

    render: int
    log: dict

    @property
    def start(self):
        """When the input that started the action happened (the last one)."""
        return self.log["inputs"][-1]["t"]

    @property
    def end(self):
        """When the new picture was painted and its ``render #N`` shown, whichever came last."""
        images = self.log["images"]
        painted = max(image.get("t_painted", image.get("t_failed", 0)) for image in images)
        shown = min(s["t"] for s in self.log["statuses"] if s["render"] == self.render)
        return max(painted, shown)

    @property
    def seconds(self):
        """Input to new picture, in seconds."""
        return (self.end - self.start) / 1000


def timed_action(page, act, render, timeout=30_000):
    """Run ``act()`` (Playwright input) and wait for picture ``render`` to be painted; time it.

    Returns
    -------
    Timed
        What the page recorded from just before ``act`` until the kernel was
        idle again after the page's last message.
    """
    page.wait_for_function(_ATTACHED_JS, timeout=timeout)
    page.evaluate(_DRAIN_JS)
    act()
    page.wait_for_function(_DONE_JS, arg=render, timeout=timeout, polling=10)
    log = page.evaluate(_DRAIN_JS)
    if not log["inputs"]:
        raise AssertionError("the action made no keydown or click in the page")
    return Timed(render, log)


class KernelTrace:
    """Read the lines the kernels append to a ``$JACVIZ_TRACE`` file, as they come."""

    def __init__(self, path):
        self.path = path
        self._read = 0

    def new_lines(self):
        """Return the lines written since the last call, parsed."""
        if not self.path.exists():
            return []
        with open(self.path, "rb") as file:
            file.seek(self._read)
            data = file.read()
        complete = data[: data.rfind(b"\n") + 1]  # a line being written waits for the next call
        self._read += len(complete)
        return [json.loads(line) for line in complete.decode("utf-8").splitlines() if line]
