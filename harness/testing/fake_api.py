"""A scripted fake of the Anthropic Messages API on loopback, for tests and dry runs.

    with FakeMessagesAPI() as api:
        api.enqueue(tool_use("bash", {"command": "ls"}), end_turn("done"))
        api.enqueue(Fault(status=429, headers={"retry-after": "0"}))
        os.environ["ANTHROPIC_BASE_URL"] = api.url

Each POST /v1/messages takes the next scripted reply: a Messages JSON body, or a Fault (an
error status with headers, a dropped connection, a delay, a malformed body, a body that
stops half way and never ends). When the script
is empty, `responder(request_body)` (if given) decides, which suits concurrent samples
whose calls interleave. A request with `"stream": true` is answered as server-sent events,
as the real API does. Every request body is captured so tests can assert what was sent,
and the peak number of requests in flight is kept. `stop()` kills the server as a crash
would (the listening socket and every open connection closed), `start()` brings it back
on the same port. Binds to 127.0.0.1 only.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import socket
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

_ids = itertools.count(1)


STALL_SECONDS = 60.0
LISTEN_BACKLOG = 128


@dataclass(frozen=True)
class Fault:
    """An injected failure: an HTTP error, a dropped connection, or a slow reply.

    `partial=N` answers 200 with the headers of a whole reply and only its first N body
    bytes (0: headers only), then stalls for `stall` seconds (or until the server stops)
    and closes: a response that never ends.
    """

    status: int = 500
    headers: dict[str, str] = field(default_factory=dict)
    drop: bool = False
    delay: float = 0.0
    error_type: str = "api_error"
    malformed: bool = False
    partial: int | None = None
    stall: float = STALL_SECONDS


def message(
    content: list[dict[str, Any]], stop_reason: str, usage: dict[str, int] | None = None
) -> dict[str, Any]:
    return {
        "id": f"msg_fake_{next(_ids)}",
        "type": "message",
        "role": "assistant",
        "model": "claude-fake",
        "content": content,
        "stop_reason": stop_reason,
        "stop_sequence": None,
        "usage": usage or {"input_tokens": 100, "output_tokens": 20},
    }


def tool_use(name: str, tool_input: dict[str, Any], text: str = "") -> dict[str, Any]:
    blocks: list[dict[str, Any]] = [{"type": "text", "text": text}] if text else []
    blocks.append(
        {"type": "tool_use", "id": f"toolu_fake_{next(_ids)}", "name": name, "input": tool_input}
    )
    return message(blocks, "tool_use")


def end_turn(text: str = "Done.") -> dict[str, Any]:
    return message([{"type": "text", "text": text}], "end_turn")


_ERROR_TYPES = {
    429: "rate_limit_error",
    529: "overloaded_error",
    400: "invalid_request_error",
    401: "authentication_error",
}


Reply = dict[str, Any] | Fault
Responder = Callable[[dict[str, Any]], Reply]


def sse_events(payload: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """A complete Messages body as the stream of events the real API sends for it."""
    start = {**payload, "content": [], "stop_reason": None, "stop_sequence": None}
    start["usage"] = {**payload.get("usage", {}), "output_tokens": 1}
    events: list[tuple[str, dict[str, Any]]] = [
        ("message_start", {"type": "message_start", "message": start}),
        ("ping", {"type": "ping"}),
    ]
    for index, block in enumerate(payload.get("content", [])):
        kind = block.get("type")
        if kind == "text":
            empty, delta = (
                {"type": "text", "text": ""},
                {"type": "text_delta", "text": block["text"]},
            )
            deltas = [delta]
        elif kind == "tool_use":
            empty = {**block, "input": {}}
            text = json.dumps(block.get("input", {}))
            half = len(text) // 2  # two fragments, as real streams split tool input
            deltas = [
                {"type": "input_json_delta", "partial_json": part}
                for part in (text[:half], text[half:])
            ]
        elif kind == "thinking":
            empty = {"type": "thinking", "thinking": "", "signature": ""}
            deltas = [
                {"type": "thinking_delta", "thinking": block.get("thinking", "")},
                {"type": "signature_delta", "signature": block.get("signature", "")},
            ]
        else:
            empty, deltas = block, []
        events.append(
            (
                "content_block_start",
                {"type": "content_block_start", "index": index, "content_block": empty},
            )
        )
        for delta in deltas:
            events.append(
                (
                    "content_block_delta",
                    {"type": "content_block_delta", "index": index, "delta": delta},
                )
            )
        events.append(("content_block_stop", {"type": "content_block_stop", "index": index}))
    usage = payload.get("usage", {})
    events.append(
        (
            "message_delta",
            {
                "type": "message_delta",
                "delta": {"stop_reason": payload.get("stop_reason"), "stop_sequence": None},
                "usage": {"output_tokens": usage.get("output_tokens", 0)},
            },
        )
    )
    events.append(("message_stop", {"type": "message_stop"}))
    return events


class _Handler(BaseHTTPRequestHandler):
    """One request to the fake: recorded, then answered from its script or responder."""

    api: FakeMessagesAPI
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: object) -> None:
        return

    def setup(self) -> None:
        super().setup()
        with self.api._lock:
            self.api._connections.add(self.connection)

    def finish(self) -> None:
        with self.api._lock:
            self.api._connections.discard(self.connection)
        with contextlib.suppress(OSError):
            super().finish()

    def do_POST(self) -> None:
        length = int(self.headers.get("content-length", "0"))
        body = json.loads(self.rfile.read(length) or b"{}")
        with self.api._lock:
            self.api.requests.append(body)
            self.api.headers.append({k.lower(): v for k, v in self.headers.items()})
            self.api.in_flight += 1
            self.api.peak_in_flight = max(self.api.peak_in_flight, self.api.in_flight)
            scripted = self.api.script.popleft() if self.api.script else None
        try:
            if scripted is None:
                scripted = (
                    self.api.responder(body)
                    if self.api.responder
                    else end_turn("(script exhausted)")
                )
            if self.api.latency:
                time.sleep(self.api.latency)
            self._answer(scripted, bool(body.get("stream")))
        finally:
            with self.api._lock:
                self.api.in_flight -= 1

    def _answer(self, reply: Reply, stream: bool) -> None:
        if isinstance(reply, Fault):
            if reply.delay:
                time.sleep(reply.delay)
            if reply.drop:
                self.close_connection = True
                self.connection.shutdown(2)
                return
            if reply.partial is not None:
                self._stall(reply)
                return
            if reply.malformed:
                self._send_raw(200, b'{"id": "msg_broken", "type": "mess', "application/json")
                return
            if reply.status == 200:
                self._answer(end_turn("(slow reply)"), stream)
                return
            error_type = _ERROR_TYPES.get(reply.status, reply.error_type)
            payload = {
                "type": "error",
                "error": {"type": error_type, "message": f"fake {reply.status}"},
            }
            self._send(reply.status, payload, reply.headers)
            return
        if stream:
            data = "".join(
                f"event: {name}\ndata: {json.dumps(event)}\n\n" for name, event in sse_events(reply)
            )
            self._send_raw(200, data.encode(), "text/event-stream")
            return
        self._send(200, reply, {})

    def _stall(self, reply: Fault) -> None:
        data = json.dumps(end_turn("(never finished)")).encode()
        with contextlib.suppress(OSError):
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data[: reply.partial])
            self.wfile.flush()
            self.api._stopped.wait(reply.stall)
        self.close_connection = True

    def _send_raw(self, status: int, data: bytes, content_type: str) -> None:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.send_response(status)
            self.send_header("content-type", content_type)
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    def _send(self, status: int, payload: dict[str, Any], headers: dict[str, str]) -> None:
        # The client may have given up (a timeout test): nothing to answer then.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self._write(status, payload, headers)

    def _write(self, status: int, payload: dict[str, Any], headers: dict[str, str]) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.send_header("request-id", f"req_fake_{next(_ids)}")
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)


class FakeMessagesAPI:
    """The server; `requests` holds every captured request body, in order.

    Args:
        responder: answers a request when the script is empty.
        latency: seconds every reply waits before it is sent (a model's thinking time).
    """

    def __init__(
        self, responder: Responder | None = None, latency: float = 0.0, port: int = 0
    ) -> None:
        self.script: deque[Reply] = deque()
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self.responder = responder
        self.latency = latency
        self.in_flight = 0
        self.peak_in_flight = 0
        self._lock = threading.Lock()
        self._connections: set[socket.socket] = set()
        self._stopped = threading.Event()
        self._handler = type("Handler", (_Handler,), {"api": self})
        self.port = port
        self.server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        """Listen (again) on the same port: the first start picks a free one if port was 0."""
        server = _Server(("127.0.0.1", self.port), self._handler)
        server.daemon_threads = True
        self.port = server.server_address[1]
        self._stopped.clear()
        self.server = server
        threading.Thread(target=server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        """Die as a crashed server does: stop listening and cut every open connection."""
        server, self.server = self.server, None
        if server is None:
            return
        self._stopped.set()
        server.shutdown()
        server.server_close()
        with self._lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)

    def enqueue(self, *replies: Reply) -> None:
        with self._lock:
            self.script.extend(replies)

    def __enter__(self) -> FakeMessagesAPI:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


class _Server(ThreadingHTTPServer):
    request_queue_size = LISTEN_BACKLOG  # many clients connecting at once are not refused


def demo_responder(body: dict[str, Any]) -> Reply:
    """A conversation for dry runs: look at the workspace once, then end the turn."""
    if any(m.get("role") == "assistant" for m in body.get("messages", [])):
        return end_turn("I looked at the workspace; this fake model changes nothing.")
    return tool_use("bash", {"command": "ls /workspace"}, text="Let me look around.")


def main(argv: list[str] | None = None) -> None:
    """`python -m harness.testing.fake_api [--port N] [--latency S]`: serve until interrupted."""
    import argparse

    parser = argparse.ArgumentParser(description="a fake Anthropic Messages API on loopback")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--latency", type=float, default=0.0)
    args = parser.parse_args(argv)
    api = FakeMessagesAPI(responder=demo_responder, latency=args.latency, port=args.port)
    with api, contextlib.suppress(KeyboardInterrupt):
        print(f"export ANTHROPIC_BASE_URL={api.url} ANTHROPIC_API_KEY=sk-ant-fake", flush=True)
        threading.Event().wait()


if __name__ == "__main__":
    main()
