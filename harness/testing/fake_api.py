"""A scripted fake of the Anthropic Messages API on loopback, for tests and dry runs.

    with FakeMessagesAPI() as api:
        api.enqueue(tool_use("bash", {"command": "ls"}), end_turn("done"))
        api.enqueue(Fault(status=429, headers={"retry-after": "0"}))
        os.environ["ANTHROPIC_BASE_URL"] = api.url

Each POST /v1/messages takes the next scripted reply: a Messages JSON body, or a Fault (an
error status with headers, a dropped connection, a delay). Every request body is captured
so tests can assert what was sent. Binds to 127.0.0.1 only.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

_ids = itertools.count(1)


@dataclass(frozen=True)
class Fault:
    """An injected failure: an HTTP error, a dropped connection, or a slow reply."""

    status: int = 500
    headers: dict[str, str] = field(default_factory=dict)
    drop: bool = False
    delay: float = 0.0
    error_type: str = "api_error"


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


class FakeMessagesAPI:
    """The server; `requests` holds every captured request body, in order."""

    def __init__(self) -> None:
        self.script: deque[dict[str, Any] | Fault] = deque()
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self._lock = threading.Lock()
        api = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                return

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", "0"))
                body = self.rfile.read(length)
                with api._lock:
                    api.requests.append(json.loads(body or b"{}"))
                    api.headers.append({k.lower(): v for k, v in self.headers.items()})
                    reply = api.script.popleft() if api.script else end_turn("(script exhausted)")
                if isinstance(reply, Fault):
                    if reply.delay:
                        time.sleep(reply.delay)
                    if reply.drop:
                        self.close_connection = True
                        self.connection.shutdown(2)
                        return
                    if reply.status == 200:
                        self._send(200, end_turn("(slow reply)"), reply.headers)
                        return
                    error_type = _ERROR_TYPES.get(reply.status, reply.error_type)
                    payload = {
                        "type": "error",
                        "error": {"type": error_type, "message": f"fake {reply.status}"},
                    }
                    self._send(reply.status, payload, reply.headers)
                    return
                self._send(200, reply, {})

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

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def enqueue(self, *replies: dict[str, Any] | Fault) -> None:
        with self._lock:
            self.script.extend(replies)

    def __enter__(self) -> FakeMessagesAPI:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
