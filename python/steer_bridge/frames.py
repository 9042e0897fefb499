"""Frames of protocol steer-bridge/1 (docs/envs/bridge-protocol.md "Frames"). Stdlib only.

A frame is::

    u32 bodyLength    everything after this field, <= 256 MiB
    u32 headerLength  H, a multiple of 8 (8 + H is; the header is padded with spaces)
    H bytes           UTF-8 JSON object
    arrays            raw little-endian bytes of each array the header lists, each zero-padded to 8

Arrays going out are any object with the buffer protocol (``array.array``, a C-contiguous numpy
array, ``bytes``) whose byte length matches dtype x shape; arrays coming in are ``memoryview``
slices of the frame's body (no copy).
"""

from __future__ import annotations

import json
import struct
import sys
from dataclasses import dataclass
from typing import Any, BinaryIO

from .errors import BridgeError

MAX_BODY = 256 * 1024 * 1024
"""Largest bodyLength either side accepts [bytes]."""

DTYPE_SIZES = {"float32": 4, "float64": 8, "int32": 4, "uint8": 1}
"""Item size [bytes] of every dtype the protocol carries."""

ARRAY_TYPECODES = {"float32": "f", "float64": "d", "int32": "i", "uint8": "B"}
"""``array.array`` typecode of each dtype (sizes checked at import below)."""

_U32 = struct.Struct("<I")
_U32X2 = struct.Struct("<II")
_ZEROS = bytes(8)
_LITTLE = sys.byteorder == "little"


def _check_typecodes() -> None:
    import array

    for dtype, code in ARRAY_TYPECODES.items():
        if array.array(code).itemsize != DTYPE_SIZES[dtype]:
            raise RuntimeError(f"array typecode {code!r} is not {DTYPE_SIZES[dtype]} bytes here")


_check_typecodes()


def pad8(n: int) -> int:
    """``n`` rounded up to a multiple of 8."""
    return (n + 7) & ~7


def shape_size(shape: list[int] | tuple[int, ...]) -> int:
    """Number of elements of an array of ``shape``."""
    size = 1
    for d in shape:
        size *= d
    return size


def to_json(obj: Any) -> str:
    """Compact JSON; NaN and infinities are refused (JSON has none; the client's parser would fail)."""
    return json.dumps(obj, separators=(",", ":"), allow_nan=False, ensure_ascii=False)


# --- writing ------------------------------------------------------------------------------------


@dataclass
class OutArray:
    """An array to send: its name, dtype, shape and a buffer of exactly dtype x shape bytes."""

    name: str
    dtype: str
    shape: tuple[int, ...]
    data: Any


def _as_bytes_view(array: OutArray) -> memoryview:
    data = array.data
    if not _LITTLE and hasattr(data, "byteswap") and not hasattr(data, "dtype"):
        data = type(data)(data.typecode, data)  # array.array on a big-endian host: swap a copy
        data.byteswap()
    view = memoryview(data).cast("B")
    expected = shape_size(array.shape) * DTYPE_SIZES[array.dtype]
    if view.nbytes != expected:
        raise RuntimeError(
            f"array {array.name}: {view.nbytes} bytes for {array.dtype} {list(array.shape)} "
            f"(expected {expected})"
        )
    return view


def encode_frame(header: dict[str, Any], arrays: list[OutArray] | None = None) -> list[Any]:
    """The pieces of one frame (prefix + header, then each array and its padding), in order."""
    views = [_as_bytes_view(a) for a in arrays or []]
    if arrays:
        header = dict(header)
        header["arrays"] = [{"name": a.name, "dtype": a.dtype, "shape": list(a.shape)} for a in arrays]
    text = to_json(header).encode("utf-8")
    text += b" " * (pad8(len(text)) - len(text))
    body_length = 4 + len(text) + sum(pad8(v.nbytes) for v in views)
    if body_length > MAX_BODY:
        raise RuntimeError(f"frame body of {body_length} bytes is over the {MAX_BODY}-byte limit")
    pieces: list[Any] = [_U32X2.pack(body_length, len(text)) + text]
    for view in views:
        pieces.append(view)
        pad = pad8(view.nbytes) - view.nbytes
        if pad:
            pieces.append(_ZEROS[:pad])
    return pieces


class FrameWriter:
    """Writes whole frames to a binary stream (the protocol fd) and flushes after each."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream

    def write(self, header: dict[str, Any], arrays: list[OutArray] | None = None) -> None:
        """Encodes and sends one frame; the encoding is finished before the first byte goes out."""
        pieces = encode_frame(header, arrays)
        for piece in pieces:
            self.stream.write(piece)
        self.stream.flush()


# --- reading ------------------------------------------------------------------------------------


@dataclass
class InArray:
    """An array received: dtype, shape and a memoryview of its bytes (unpadded)."""

    dtype: str
    shape: tuple[int, ...]
    data: memoryview


@dataclass
class Request:
    """A parsed request frame: its id (None when it had none), op, args and arrays by name."""

    id: int | None
    op: Any
    args: Any
    arrays: dict[str, InArray]


class EndOfStream(Exception):
    """Stdin reached EOF (cleanly between frames or in the middle of one)."""


def _read_exact(stream: BinaryIO, n: int) -> bytearray:
    buf = bytearray(n)
    view = memoryview(buf)
    got = 0
    while got < n:
        k = stream.readinto(view[got:])  # type: ignore[attr-defined]
        if not k:
            raise EndOfStream(f"EOF after {got} of {n} bytes")
        got += k
    return buf


def _discard(stream: BinaryIO, n: int) -> None:
    while n > 0:
        chunk = stream.read(min(n, 1 << 20))
        if not chunk:
            raise EndOfStream("EOF while skipping an oversized frame")
        n -= len(chunk)


def _request_id(header: Any) -> int | None:
    if isinstance(header, dict):
        rid = header.get("id")
        if isinstance(rid, int) and not isinstance(rid, bool):
            return rid
    return None


def _parse_arrays(specs: Any, body: memoryview, start: int, rid: int | None) -> dict[str, InArray]:
    if specs is None:
        specs = []
    if not isinstance(specs, list):
        raise BridgeError("BAD_REQUEST", "header.arrays must be a list", request_id=rid)
    arrays: dict[str, InArray] = {}
    offset = start
    for i, spec in enumerate(specs):
        where = f"header.arrays[{i}]"
        if not isinstance(spec, dict):
            raise BridgeError("BAD_REQUEST", f"{where} must be an object", request_id=rid)
        name, dtype, shape = spec.get("name"), spec.get("dtype"), spec.get("shape")
        if not isinstance(name, str) or name in arrays:
            raise BridgeError("BAD_REQUEST", f"{where}.name must be a new string", request_id=rid)
        if dtype not in DTYPE_SIZES:
            raise BridgeError(
                "BAD_REQUEST",
                f"{where}.dtype: expected one of {sorted(DTYPE_SIZES)}, received {dtype!r}",
                request_id=rid,
            )
        if not isinstance(shape, list) or not all(
            isinstance(d, int) and not isinstance(d, bool) and d >= 0 for d in shape
        ):
            raise BridgeError(
                "BAD_REQUEST", f"{where}.shape must be a list of non-negative ints", request_id=rid
            )
        nbytes = shape_size(shape) * DTYPE_SIZES[dtype]
        if offset + pad8(nbytes) > len(body):
            raise BridgeError(
                "BAD_REQUEST",
                f"{where} ({name}, {nbytes} bytes) runs past the end of the frame body",
                request_id=rid,
            )
        arrays[name] = InArray(dtype, tuple(shape), body[offset : offset + nbytes])
        offset += pad8(nbytes)
    if offset != len(body):
        raise BridgeError(
            "BAD_REQUEST",
            f"frame body has {len(body) - offset} bytes after the listed arrays",
            request_id=rid,
        )
    return arrays


def read_request(stream: BinaryIO) -> Request:
    """Reads one frame and parses its header. Raises EndOfStream at EOF, BridgeError (BAD_REQUEST)
    for a malformed frame; the stream is positioned at the next frame either way, since bodyLength
    delimits every frame."""
    body_length = _U32.unpack(_read_exact(stream, 4))[0]
    if body_length > MAX_BODY or body_length < 4:
        _discard(stream, body_length)
        raise BridgeError("BAD_REQUEST", f"bodyLength {body_length} is outside [4, {MAX_BODY}]")
    body = memoryview(_read_exact(stream, body_length))
    header_length = _U32.unpack(body[:4])[0]
    if header_length % 8 != 0 or header_length > body_length - 4:
        raise BridgeError(
            "BAD_REQUEST",
            f"headerLength {header_length} must be a multiple of 8 and at most {body_length - 4}",
        )
    try:
        header = json.loads(bytes(body[4 : 4 + header_length]).decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise BridgeError("BAD_REQUEST", f"header is not UTF-8 JSON: {exc}") from None
    rid = _request_id(header)
    if not isinstance(header, dict):
        raise BridgeError("BAD_REQUEST", "header is not a JSON object")
    if rid is None:
        raise BridgeError("BAD_REQUEST", "header.id must be an integer")
    arrays = _parse_arrays(header.get("arrays"), body, 4 + header_length, rid)
    args = header.get("args", {})
    return Request(rid, header.get("op"), args, arrays)
