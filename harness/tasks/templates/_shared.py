"""Shared by the generated suite's client and the app host (copied beside both by the harness).

The tests (pytest) and the workspace's app run in two processes, in two sandboxes, and
speak over a Unix socket: one request, one reply, each a frame of a 4-byte big-endian
length and UTF-8 JSON. JSON alone would lose what the checks compare (a Decimal is not a
float, a datetime is not a string), so those values travel as tagged objects
(`{"$t": "decimal", "v": "12.50"}`) and come back as the same Python values. A value the
format does not know travels as its repr and compares unequal to everything.

Also here: `resolve()` of the contract's value directives (@now, @decimal:, @password:...),
which both sides need: the host for seeded rows and service arguments, the client for
expected values. Only the standard library: the client must not import the app's
dependencies, and the host must not depend on anything the app could shadow.
"""

from __future__ import annotations

import base64
import json
import re
import socket
import struct
import uuid
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from time import monotonic
from typing import Any, Protocol

HEADER = struct.Struct(">I")
MAX_FRAME = 64 * 1024 * 1024
TAG = "$t"
SEED_HASH_ITERATIONS = 1000
_RELATIVE_TIME = re.compile(r"^@now(?:(?P<sign>[+-])(?P<amount>\d+)(?P<unit>[smhd]))?$")
_YEAR = re.compile(r"^@year(?P<offset>[+-]\d+)?$")
_SHIFTED_STRFTIME = re.compile(r"^strftime(?:(?P<sign>[+-])(?P<amount>\d+)(?P<unit>[smhdy]))?$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


class WireError(Exception):
    """A frame that cannot be read: truncated, too large, or not the wire format."""


class ConnectionClosed(WireError):
    """The other side closed the connection between two frames."""


class _Any:
    """`@any`: the expected value that matches whatever is there."""

    def __repr__(self) -> str:
        return "ANY"


ANY = _Any()


class Opaque:
    """A value the wire format does not know: its type name and repr, equal only to itself."""

    def __init__(self, type_name: str, text: str) -> None:
        self.type_name = type_name
        self.text = text

    def __repr__(self) -> str:
        return self.text


def _tagged(kind: str, value: Any = None) -> dict[str, Any]:
    return {TAG: kind, "v": value}


def safe_repr(value: Any) -> str:
    """A repr that cannot fail (an ORM object of a closed session raises in its repr)."""
    try:
        return repr(value)
    except Exception:
        return f"<{type(value).__name__}>"


def encode(value: Any) -> Any:
    """`value` as plain JSON data, with the types JSON lacks tagged (lossless)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, list):
        return [encode(item) for item in value]
    if isinstance(value, dict):
        if all(isinstance(key, str) for key in value) and TAG not in value:
            return {key: encode(item) for key, item in value.items()}
        return _tagged("dict", [[encode(key), encode(item)] for key, item in value.items()])
    if isinstance(value, Decimal):
        return _tagged("decimal", str(value))
    if isinstance(value, datetime):  # before date: a datetime is a date
        return _tagged("datetime", value.isoformat())
    if isinstance(value, date):
        return _tagged("date", value.isoformat())
    if isinstance(value, time):
        return _tagged("time", value.isoformat())
    if isinstance(value, timedelta):
        return _tagged("timedelta", [value.days, value.seconds, value.microseconds])
    if isinstance(value, (bytes, bytearray)):
        return _tagged("bytes", base64.b64encode(bytes(value)).decode("ascii"))
    if isinstance(value, tuple):
        return _tagged("tuple", [encode(item) for item in value])
    if isinstance(value, uuid.UUID):
        return _tagged("uuid", str(value))
    if value is ANY:
        return _tagged("any")
    if isinstance(value, Opaque):
        return {TAG: "repr", "type": value.type_name, "v": value.text}
    return {TAG: "repr", "type": type(value).__name__, "v": safe_repr(value)}


_DECODERS = {
    "decimal": Decimal,
    "datetime": datetime.fromisoformat,
    "date": date.fromisoformat,
    "time": time.fromisoformat,
    "timedelta": lambda parts: timedelta(days=parts[0], seconds=parts[1], microseconds=parts[2]),
    "bytes": lambda text: base64.b64decode(text.encode("ascii"), validate=True),
    "uuid": uuid.UUID,
    "any": lambda _: ANY,
}


def decode(value: Any) -> Any:
    """The inverse of `encode`."""
    if isinstance(value, list):
        return [decode(item) for item in value]
    if not isinstance(value, dict):
        return value
    if TAG not in value:
        return {key: decode(item) for key, item in value.items()}
    kind, payload = value[TAG], value.get("v")
    if kind == "dict":
        return {decode(key): decode(item) for key, item in payload}
    if kind == "tuple":
        return tuple(decode(item) for item in payload)
    if kind == "repr":
        return Opaque(str(value.get("type", "?")), str(payload))
    if kind not in _DECODERS:
        raise WireError(f"unknown tag {kind!r}")
    return _DECODERS[kind](payload)


def dumps(message: Any) -> bytes:
    """One frame: the length, then the encoded message."""
    data = json.dumps(encode(message), separators=(",", ":")).encode("utf-8")
    if len(data) > MAX_FRAME:
        raise WireError(f"a message of {len(data)} bytes is over the {MAX_FRAME}-byte limit")
    return HEADER.pack(len(data)) + data


def loads(data: bytes) -> Any:
    """The message of one frame's body."""
    try:
        return decode(json.loads(data.decode("utf-8")))
    except WireError:
        raise
    except (ValueError, TypeError, KeyError, IndexError, RecursionError, ArithmeticError) as exc:
        raise WireError(f"not a message: {type(exc).__name__}: {exc}") from None


def _read_exactly(sock: socket.socket, size: int, deadline: float | None = None) -> bytes:
    """`size` bytes, fewer at the end of the stream; TimeoutError past `deadline` (a
    monotonic time), however slowly the bytes trickle in."""
    chunks, left = [], size
    while left:
        if deadline is not None:
            remaining = deadline - monotonic()
            if remaining <= 0:
                raise TimeoutError("no complete reply before the deadline")
            sock.settimeout(remaining)
        chunk = sock.recv(min(left, 1024 * 1024))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def send(sock: socket.socket, message: Any) -> None:
    sock.sendall(dumps(message))


def receive(sock: socket.socket, deadline: float | None = None) -> Any:
    """The next message; ConnectionClosed at a clean end, WireError for a broken frame,
    TimeoutError when it is not whole by `deadline` (a monotonic time)."""
    header = _read_exactly(sock, HEADER.size, deadline)
    if not header:
        raise ConnectionClosed("the connection was closed")
    if len(header) < HEADER.size:
        raise WireError("truncated frame header")
    (size,) = HEADER.unpack(header)
    if size > MAX_FRAME:
        raise WireError(f"a frame of {size} bytes is over the {MAX_FRAME}-byte limit")
    body = _read_exactly(sock, size, deadline)
    if len(body) < size:
        raise WireError(f"truncated frame: {len(body)} of {size} bytes")
    return loads(body)


# ---- contract directives ----------------------------------------------------------------


class Hashes(Protocol):
    """What `@password:` and `@token:` need from the app (app.core.security)."""

    def password(self, raw: str) -> str: ...

    def token(self, raw: str) -> str: ...


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _shift(moment: datetime, sign: str | None, amount: str | None, unit: str | None) -> datetime:
    if not sign or amount is None or unit is None:
        return moment
    count = int(amount) * (1 if sign == "+" else -1)
    if unit == "y":
        try:
            return moment.replace(year=moment.year + count)
        except ValueError:  # 29 February in a year without one
            return moment.replace(year=moment.year + count, day=28)
    return moment + timedelta(**{_UNITS[unit]: count})


def resolve(value: Any, hashes: Hashes | None = None) -> Any:
    """Contract directives: @now±N[smhd], @year±N, @strftime[±N[smhdy]]:FMT (now, shifted,
    formatted), @password:x, @token:x (through `hashes`, the app's), @decimal:x, @any."""
    if isinstance(value, dict):
        return {k: resolve(v, hashes) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v, hashes) for v in value]
    if not isinstance(value, str) or not value.startswith("@"):
        return value
    match = _RELATIVE_TIME.match(value)
    if match:
        return _shift(utcnow(), match.group("sign"), match.group("amount"), match.group("unit"))
    year = _YEAR.match(value)
    if year:
        return utcnow().year + int(year.group("offset") or 0)
    kind, _, arg = value[1:].partition(":")
    shifted = _SHIFTED_STRFTIME.match(kind)
    if shifted:
        moment = _shift(
            utcnow(), shifted.group("sign"), shifted.group("amount"), shifted.group("unit")
        )
        return moment.strftime(arg)
    if kind in ("password", "token"):
        if hashes is None:
            raise ValueError(f"{value}: needs the app's hashing")
        return hashes.password(arg) if kind == "password" else hashes.token(arg)
    if kind == "decimal":
        return Decimal(arg)
    if kind == "any":
        return ANY
    return value
