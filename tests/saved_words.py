"""The text alternative a saved PNG, SVG or PDF carries, read back (imported by test modules).

Independent of jacviz: Pillow's PNG text chunks, the SVG's ``<title>`` and ``<desc>``
as an XML parser sees them, the PDF's information dictionary parsed by hand.
"""

import re
import xml.etree.ElementTree as ET

from PIL import Image

SVG = "{http://www.w3.org/2000/svg}"


def saved_words(path):
    """Return ``(title, description)`` of the saved picture at ``path``."""
    suffix = path.suffix.lower()
    if suffix == ".png":
        with Image.open(path) as image:
            return image.text.get("Title"), image.text.get("Description")
    if suffix == ".svg":
        root = ET.parse(path).getroot()
        return root.findtext(f"{SVG}title"), root.findtext(f"{SVG}desc")
    data = path.read_bytes()
    return _pdf_string(data, b"/Title"), _pdf_string(data, b"/Subject")


def _pdf_string(data, key):
    """Read the literal string after ``key`` in a PDF (escapes undone, UTF-16 decoded)."""
    if key + b" (" not in data:
        return None
    start = data.index(key + b" (") + len(key) + 2
    raw, depth, k = bytearray(), 0, start
    while data[k : k + 1] != b")" or depth:
        byte = data[k : k + 1]
        if byte == b"\\":
            k += 1
            escaped = data[k : k + 1]
            byte = {b"n": b"\n", b"r": b"\r", b"t": b"\t"}.get(escaped, escaped)
        else:
            depth += {b"(": 1, b")": -1}.get(byte, 0)
        raw += byte
        k += 1
    raw = bytes(raw)
    if raw.startswith(b"\xfe\xff"):
        return raw[2:].decode("utf-16-be")
    return re.sub(rb"\s+", b" ", raw).decode("latin-1")
