"""Undo an HTTP body's Content-Encoding layers with a cap on what each layer may produce.

Why not httpx's own decoding: it hands every raw chunk to zlib without an output bound, so a
2 KB answer declaring `Content-Encoding: gzip, gzip` expands to gigabytes inside one call,
before any size check sees a byte. Here every layer is a zlib decompressor asked for at most
`limit + 1` bytes in all: a body that would decode past the limit stops at the limit, whatever
the number of layers, and costs at most `limit` bytes per layer.

Codings are listed in the order they were applied (RFC 9110 8.4), so they are undone from the
last to the first. Only the codings litkit asks for (`ACCEPT_ENCODING`) are decoded; any other
is refused by name rather than passed on as bytes nobody can read.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence

ACCEPT_ENCODING = "gzip, deflate"
_IDENTITY = frozenset({"", "identity"})


class CodingError(Exception):
    """The body cannot be decoded, or decodes past the limit; the message says which."""


class _Layer:
    """One gzip or deflate layer; `deflate` bodies come zlib-wrapped or raw (servers do both)."""

    def __init__(self, coding: str) -> None:
        self.coding = coding
        self.produced = 0
        self._decompressor: zlib._Decompress | None = None
        if coding == "gzip":
            self._decompressor = zlib.decompressobj(zlib.MAX_WBITS | 16)

    def feed(self, data: bytes, budget: int) -> bytes:
        """Decoded bytes of `data`; at most `budget + 1` in the layer's lifetime."""
        if self._decompressor is None:  # deflate: the first two bytes tell zlib from raw
            self._decompressor = zlib.decompressobj(
                zlib.MAX_WBITS if _zlib_header(data) else -zlib.MAX_WBITS
            )
        if self._decompressor.eof or not data:
            return b""  # trailing bytes after the stream end are ignored, as browsers do
        try:
            out = self._decompressor.decompress(data, max(budget - self.produced + 1, 1))
        except zlib.error as error:
            raise CodingError(f"{self.coding} body is damaged ({error})") from None
        self.produced += len(out)
        return out


def _zlib_header(data: bytes) -> bool:
    return len(data) >= 2 and data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0


class BoundedDecoder:
    """Feed raw body chunks, get decoded bytes; CodingError once the output passes `limit`."""

    def __init__(self, codings: Sequence[str], limit: int) -> None:
        self.limit = limit
        self.codings = [c.strip().lower() for c in codings if c.strip().lower() not in _IDENTITY]
        unknown = [c for c in self.codings if c not in ("gzip", "deflate", "x-gzip")]
        if unknown:
            raise CodingError(f"Content-Encoding {', '.join(unknown)} cannot be decoded")
        self._layers = [_Layer("gzip" if c == "x-gzip" else c) for c in reversed(self.codings)]
        self.size = 0

    def feed(self, data: bytes) -> bytes:
        """The decoded bytes of one raw chunk (through every layer, each one bounded)."""
        for layer in self._layers:
            data = layer.feed(data, self.limit)
            if layer.produced > self.limit:
                raise CodingError(self._too_large())
        self.size += len(data)
        if self.size > self.limit:
            raise CodingError(self._too_large())
        return data

    def _too_large(self) -> str:
        layers = f" (Content-Encoding {', '.join(self.codings)})" if self.codings else ""
        return f"body decodes to more than the limit of {self.limit:,} bytes{layers} (--max-bytes)"


def codings_of(values: Sequence[str]) -> list[str]:
    """Every coding named by the Content-Encoding header lines, split at commas."""
    return [part for value in values for part in value.split(",") if part.strip()]
