"""The one way out of a sandbox that runs Claude Code: a Unix socket leading to the Messages API.

Claude Code needs the API, but the code a model runs beside it must reach nothing else and
must never see the key. The sandbox has no network; inside it, `sandbox_relay.py` listens on
loopback and passes each connection to this socket. Here every HTTP request is checked
(method and path on an allowlist), its credentials are replaced by the real key, and it is
sent to the upstream with `Connection: close`; the response streams back as it arrives, so
server-sent events pass unchanged. One request per connection keeps the parsing small.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import socketserver
import ssl
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

SOCKET_NAME = "api.sock"
PLACEHOLDER_KEY = "sk-ant-sandbox-placeholder"
ALLOWED_REQUESTS = frozenset({("POST", "/v1/messages"), ("POST", "/v1/messages/count_tokens")})
MAX_HEAD_BYTES = 64 * 1024
MAX_BODY_BYTES = 64 * 1024 * 1024
UPSTREAM_TIMEOUT_S = 600.0
CHUNK = 64 * 1024
SHUTDOWN_POLL_S = 0.05  # how soon close() returns; a sample's relay closes once per sample
DROPPED_HEADERS = frozenset(
    {
        "host", "connection", "keep-alive", "proxy-connection", "proxy-authorization",
        "te", "trailer", "upgrade", "x-api-key", "authorization", "content-length",
    }
)  # fmt: skip


@dataclass(frozen=True)
class Upstream:
    scheme: str
    host: str
    port: int
    base_path: str

    @classmethod
    def parse(cls, url: str) -> Upstream:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"API base URL {url!r}: give http(s)://host[:port]")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        return cls(parts.scheme, parts.hostname, port, parts.path.rstrip("/"))


@dataclass(frozen=True)
class Request:
    method: str
    target: str
    headers: list[tuple[str, str]]
    body: bytes

    @property
    def path(self) -> str:
        return urlsplit(self.target).path


@dataclass
class RelayLog:
    """What crossed the relay, for the transcript and the tests."""

    forwarded: int = 0
    refused: list[str] = field(default_factory=list)


class Refused(Exception):
    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def parse_head(head: bytes) -> tuple[str, str, list[tuple[str, str]]]:
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ")
    if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
        raise Refused(400, f"not an HTTP/1 request line: {lines[0][:80]!r}")
    headers = []
    for line in lines[1:]:
        if not line:
            continue
        name, sep, value = line.partition(":")
        if not sep:
            raise Refused(400, f"malformed header line: {line[:80]!r}")
        headers.append((name.strip(), value.strip()))
    return parts[0], parts[1], headers


def read_request(stream: socket.socket) -> Request | None:
    """One request from the sandbox; None when the client closed without sending one."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = stream.recv(CHUNK)
        if not chunk:
            if data:
                raise Refused(400, "connection closed inside the request head")
            return None
        data += chunk
        if len(data) > MAX_HEAD_BYTES and b"\r\n\r\n" not in data[:MAX_HEAD_BYTES]:
            raise Refused(431, "request head too large")
    head, _, body = data.partition(b"\r\n\r\n")
    method, target, headers = parse_head(head)
    lowered = {name.lower(): value for name, value in headers}
    if "chunked" in lowered.get("transfer-encoding", "").lower():
        raise Refused(411, "chunked request bodies are not relayed; send content-length")
    try:
        length = int(lowered.get("content-length", "0"))
    except ValueError:
        raise Refused(400, "content-length is not a number") from None
    if length < 0 or length > MAX_BODY_BYTES:
        raise Refused(413, f"request body of {length} bytes refused")
    while len(body) < length:
        chunk = stream.recv(min(CHUNK, length - len(body)))
        if not chunk:
            raise Refused(400, "connection closed inside the request body")
        body += chunk
    return Request(method, target, headers, body[:length])


def origin_form(target: str) -> str:
    """`http://host:port/p?q` (how clients talk to a proxy) or `/p?q`, as `/p?q`."""
    parts = urlsplit(target)
    path = parts.path or "/"
    return path + (f"?{parts.query}" if parts.query else "")


def upstream_head(request: Request, upstream: Upstream, api_key: str) -> bytes:
    """The request as the upstream gets it: the sandbox's credentials out, the real key in."""
    target = upstream.base_path + origin_form(request.target)
    default_port = 443 if upstream.scheme == "https" else 80
    host = upstream.host if upstream.port == default_port else f"{upstream.host}:{upstream.port}"
    lines = [f"{request.method} {target} HTTP/1.1", f"Host: {host}"]
    lines += [f"{n}: {v}" for n, v in request.headers if n.lower() not in DROPPED_HEADERS]
    if api_key:
        lines.append(f"x-api-key: {api_key}")
    lines += [f"Content-Length: {len(request.body)}", "Connection: close"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def check(request: Request) -> None:
    if (request.method, request.path) not in ALLOWED_REQUESTS:
        raise Refused(403, f"{request.method} {request.path} is not an allowed API request")


def _connect(upstream: Upstream) -> socket.socket:
    raw = socket.create_connection((upstream.host, upstream.port), timeout=UPSTREAM_TIMEOUT_S)
    if upstream.scheme != "https":
        return raw
    return ssl.create_default_context().wrap_socket(raw, server_hostname=upstream.host)


def _reply(client: socket.socket, status: int, reason: str) -> None:
    error = {"type": "harness_relay_error", "message": reason}
    body = json.dumps({"type": "error", "error": error}).encode()
    head = (
        f"HTTP/1.1 {status} Refused\r\ncontent-type: application/json\r\n"
        f"content-length: {len(body)}\r\nconnection: close\r\n\r\n"
    ).encode()
    with contextlib.suppress(OSError):
        client.sendall(head + body)


def _pipe_response(upstream_sock: socket.socket, client: socket.socket) -> None:
    while True:
        chunk = upstream_sock.recv(CHUNK)
        if not chunk:
            return
        client.sendall(chunk)


class _Handler(socketserver.BaseRequestHandler):
    server: _Server

    def handle(self) -> None:
        relay = self.server.relay
        client: socket.socket = self.request
        try:
            request = read_request(client)
            if request is None:
                return
            check(request)
        except Refused as refused:
            relay.log.refused.append(f"{refused.status} {refused.reason}")
            _reply(client, refused.status, refused.reason)
            return
        except OSError:
            return
        try:
            with _connect(relay.upstream) as upstream_sock:
                upstream_sock.sendall(upstream_head(request, relay.upstream, relay.api_key))
                upstream_sock.sendall(request.body)
                relay.log.forwarded += 1
                _pipe_response(upstream_sock, client)
        except OSError as exc:
            _reply(client, 502, f"the API could not be reached: {type(exc).__name__}: {exc}")


class _Server(socketserver.ThreadingUnixStreamServer):
    daemon_threads = True
    relay: ApiRelay


class ApiRelay:
    """A Unix socket (in a fresh 0755 directory) whose every connection reaches the API.

    with ApiRelay("https://api.anthropic.com", key) as relay:
        ... bind relay.directory into the sandbox, point its relay at SOCKET_NAME ...
    """

    def __init__(self, base_url: str, api_key: str) -> None:
        self.upstream = Upstream.parse(base_url)
        self.api_key = api_key
        self.log = RelayLog()
        self._tmp = tempfile.TemporaryDirectory(prefix="harness-egress-")
        self.directory = Path(self._tmp.name)
        os.chmod(self.directory, 0o755)
        self.socket_path = self.directory / SOCKET_NAME
        self._server = _Server(str(self.socket_path), _Handler)
        self._server.relay = self
        os.chmod(self.socket_path, 0o666)  # the sandbox's uid is not ours
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(SHUTDOWN_POLL_S,), name="api-relay",
            daemon=True,
        )  # fmt: skip
        self._thread.start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._tmp.cleanup()

    def __enter__(self) -> ApiRelay:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
