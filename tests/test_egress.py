"""The API relay that is a Claude Code sandbox's only way out, over real sockets."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from harness.sandbox.egress import PLACEHOLDER_KEY, ApiRelay, Request, Upstream, upstream_head
from harness.testing.fake_api import FakeMessagesAPI, end_turn

KEY = "sk-ant-real-key"


def exchange(path: Path, raw: bytes) -> bytes:
    """Send raw bytes through the relay's Unix socket, read until it closes."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
        client.settimeout(30)
        client.connect(str(path))
        client.sendall(raw)
        chunks = []
        while chunk := client.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def post(target: str, body: dict, extra: str = "") -> bytes:  # type: ignore[type-arg]
    data = json.dumps(body).encode()
    head = (
        f"POST {target} HTTP/1.1\r\nHost: 127.0.0.1:1\r\nx-api-key: {PLACEHOLDER_KEY}\r\n"
        f"content-type: application/json\r\ncontent-length: {len(data)}\r\n{extra}\r\n"
    )
    return head.encode() + data


def status(reply: bytes) -> int:
    return int(reply.split(b" ", 2)[1])


@pytest.fixture
def api():  # type: ignore[no-untyped-def]
    with FakeMessagesAPI() as server:
        yield server


def test_a_message_goes_out_with_the_real_key_and_streams_back(api: FakeMessagesAPI) -> None:
    api.enqueue(end_turn("streamed"))
    with ApiRelay(api.url, KEY) as relay:
        reply = exchange(relay.socket_path, post("/v1/messages?beta=true", {"stream": True}))
        assert relay.log.forwarded == 1
    assert status(reply) == 200 and b"event: message_start" in reply and b"streamed" in reply
    assert api.headers[0]["x-api-key"] == KEY  # the placeholder never reaches the API
    assert "authorization" not in api.headers[0]


def test_the_absolute_form_a_proxy_client_sends_is_accepted(api: FakeMessagesAPI) -> None:
    api.enqueue(end_turn("ok"))
    with ApiRelay(api.url, KEY) as relay:
        reply = exchange(relay.socket_path, post("http://127.0.0.1:9/v1/messages", {}))
    assert status(reply) == 200 and json.loads(reply.split(b"\r\n\r\n", 1)[1])["content"]


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (b"GET /v1/models HTTP/1.1\r\nHost: x\r\n\r\n", 403),
        (post("/v1/complete", {}), 403),
        (post("/v1/files", {}), 403),
        (b"CONNECT evil.example:443 HTTP/1.1\r\nHost: evil.example:443\r\n\r\n", 403),
        (
            b"POST /v1/messages HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            411,
        ),
        (b"POST /v1/messages HTTP/1.1\r\ncontent-length: 99999999999\r\n\r\n", 413),
        (b"\x16\x03\x01 not http at all\r\n\r\n", 400),
    ],
)
def test_anything_but_a_messages_call_is_refused_and_never_sent(
    api: FakeMessagesAPI, raw: bytes, code: int
) -> None:
    with ApiRelay(api.url, KEY) as relay:
        reply = exchange(relay.socket_path, raw)
        assert relay.log.forwarded == 0 and len(relay.log.refused) == 1
    assert status(reply) == code and b"harness_relay_error" in reply
    assert api.requests == []


def test_an_unreachable_api_is_a_502_not_a_hang() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # nothing listens there once closed
    with ApiRelay(f"http://127.0.0.1:{port}", KEY) as relay:
        reply = exchange(relay.socket_path, post("/v1/messages", {}))
    assert status(reply) == 502 and b"could not be reached" in reply


def test_the_socket_is_open_to_the_sandbox_uid_and_gone_after() -> None:
    with ApiRelay("https://api.anthropic.com", KEY) as relay:
        assert relay.socket_path.stat().st_mode & 0o777 == 0o666
        directory = relay.directory
    assert not directory.exists()


def test_the_upstream_request_head() -> None:
    upstream = Upstream.parse("https://api.example.com/proxy/")
    request = Request(
        "POST",
        "http://127.0.0.1:5/v1/messages?beta=true",
        [("Host", "127.0.0.1:5"), ("x-api-key", PLACEHOLDER_KEY), ("Authorization", "Bearer x"),
         ("Connection", "keep-alive"), ("anthropic-version", "2023-06-01")],
        b"{}",
    )  # fmt: skip
    head = upstream_head(request, upstream, KEY).decode()
    lines = head.split("\r\n")
    assert lines[0] == "POST /proxy/v1/messages?beta=true HTTP/1.1"
    assert "Host: api.example.com" in lines and f"x-api-key: {KEY}" in lines
    assert "Connection: close" in lines and "anthropic-version: 2023-06-01" in lines
    assert PLACEHOLDER_KEY not in head and "Bearer" not in head and "keep-alive" not in head
    assert Upstream.parse("http://127.0.0.1:8080").port == 8080
    with pytest.raises(ValueError, match="http"):
        Upstream.parse("ftp://x")
