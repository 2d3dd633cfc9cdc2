"""PNG bytes of an RGBA canvas, fast: rows unfiltered, deflated by ISA-L where installed.

Layer: plotting. Imports numpy, the standard library and ``isal`` (where installed).

Heatmaps are large flat areas, so unfiltered rows compress about as well as
Pillow's per-row filter search, at a fraction of its cost. Where ``isal`` is
missing (Pyodide, a source-only platform) the standard library's zlib writes
the same format. Timings: benchmarks/README.md.
"""

import struct
import zlib

import numpy as np

try:
    from isal import isal_zlib as _deflate
except ImportError:  # pragma: no cover - depends on the platform
    _deflate = zlib

_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_RGBA = 6  # PNG colour type: truecolour with alpha
#: Compression level: 1 is fastest on both libraries (ISA-L has 0-3, zlib 0-9);
#: higher levels save little on heatmaps and cost a lot.
COMPRESS_LEVEL = 1
#: The library writing the deflate stream: ``"isal"`` or ``"zlib"``.
DEFLATE = "zlib" if _deflate is zlib else "isal"


def encode_png(pixels, *, level=COMPRESS_LEVEL):
    r"""Encode ``pixels`` as an 8-bit RGBA PNG, rows unfiltered.

    Parameters
    ----------
    pixels : numpy.ndarray of uint8, shape (H, W, 4)
        RGBA, first row at the top (as ``canvas.buffer_rgba()``).
    level : int, optional
        Compression level of the deflate library (:data:`DEFLATE`): 0-3
        for ISA-L, 0-9 for zlib.

    Returns
    -------
    bytes

    Raises
    ------
    ValueError
        If ``pixels`` is not an ``(H, W, 4)`` uint8 array.

    Examples
    --------
    >>> import io
    >>> from matplotlib.image import imread
    >>> pixels = np.zeros((2, 3, 4), dtype=np.uint8)
    >>> pixels[..., 0], pixels[..., 3] = 200, 255
    >>> png = encode_png(pixels)
    >>> png[:8]
    b'\x89PNG\r\n\x1a\n'
    >>> decoded = imread(io.BytesIO(png))
    >>> decoded.shape, round(float(decoded[1, 2, 0]) * 255)
    ((2, 3, 4), 200)
    """
    pixels = np.asarray(pixels)
    if pixels.dtype != np.uint8 or pixels.ndim != 3 or pixels.shape[2] != 4:
        raise ValueError(
            f"expected uint8 pixels of shape (H, W, 4), got {pixels.dtype} {pixels.shape}"
        )
    height, width = pixels.shape[:2]
    rows = np.zeros((height, 1 + 4 * width), dtype=np.uint8)  # a 0 (no filter) starts each row
    rows[:, 1:] = pixels.reshape(height, 4 * width)
    data = _deflate.compress(rows, level)
    header = struct.pack(">IIBBBBB", width, height, 8, _RGBA, 0, 0, 0)
    return _SIGNATURE + _chunk(b"IHDR", header) + _chunk(b"IDAT", data) + _chunk(b"IEND", b"")


def _chunk(tag, data):
    """One PNG chunk: length, tag, data, CRC of tag and data."""
    crc = zlib.crc32(data, zlib.crc32(tag))
    return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", crc)
