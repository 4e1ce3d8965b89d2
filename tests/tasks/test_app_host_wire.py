"""The wire between a generated suite's tests and its app host (templates/_shared.py), and
the client (templates/_harness_support.py) against a host loop over a real Unix socket."""

from __future__ import annotations

import contextlib
import dataclasses
import importlib
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from decimal import Decimal
from enum import Enum
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.conftest import REPO

TEMPLATES = REPO / "harness" / "tasks" / "templates"


@pytest.fixture(scope="module")
def modules() -> Iterator[dict[str, ModuleType]]:
    """The template modules, imported as the generated suite and the host import them."""
    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(str(TEMPLATES))
        yield {
            name: importlib.import_module(name)
            for name in ("_shared", "_harness_support", "_app_evidence", "_app_host")
        }


@pytest.fixture
def wire(modules: dict[str, ModuleType]) -> ModuleType:
    return modules["_shared"]


class Status(str, Enum):  # noqa: UP042 (the form apps write)
    PENDING = "pending"


class Plain(Enum):
    ONE = 1


VALUES = [
    Decimal("12.50"),
    Decimal("0.10"),
    Decimal("-1E+3"),
    12.5,
    7,
    True,
    None,
    "text",
    datetime(2026, 5, 9, 7, 35, 25, 123456),
    datetime(2026, 5, 9, 7, 35, tzinfo=UTC),
    date(2024, 2, 29),
    clock(23, 59, 58),
    timedelta(days=-1, seconds=5, microseconds=7),
    b"\x00\xffbytes",
    (1, "a", Decimal("1.0")),
    uuid.UUID("12345678-1234-5678-1234-567812345678"),
    {"nested": [{"amount": Decimal("3.00"), "at": datetime(2020, 1, 1)}, [b"x", (2,)]]},
    {200: 3, 409: 9},
    {"$t": "decimal", "v": "not a tag: a plain dict with that key"},
    [],
    {},
]


@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_values_round_trip_with_their_types(wire: ModuleType, value: Any) -> None:
    header, body = wire.dumps(value)[:4], wire.dumps(value)[4:]
    assert wire.HEADER.unpack(header) == (len(body),)
    back = wire.loads(body)
    assert back == value and type(back) is type(value)


def test_a_float_stays_a_float_and_a_decimal_a_decimal(wire: ModuleType) -> None:
    """The money checks tell them apart: 12.5 reaching the gateway is not Decimal("12.50")."""
    back = wire.loads(wire.dumps([12.5, Decimal("12.50")])[4:])
    assert repr(back) == "[12.5, Decimal('12.50')]"


def test_any_enums_and_unknown_values(wire: ModuleType) -> None:
    back = wire.loads(wire.dumps([wire.ANY, Status.PENDING, Plain.ONE, object()])[4:])
    assert back[0] is wire.ANY
    assert back[1] == "pending"  # a str enum compares as its value, as it does in the app
    assert isinstance(back[2], wire.Opaque) and repr(back[2]) == "<Plain.ONE: 1>"
    assert back[2] != Plain.ONE and back[2] != 1  # an unknown value equals nothing else
    assert repr(back[3]).startswith("<object object at")


def test_a_repr_that_raises_still_travels(wire: ModuleType) -> None:
    class Broken:
        def __repr__(self) -> str:
            raise RuntimeError("detached instance")

    assert repr(wire.loads(wire.dumps(Broken())[4:])) == "<Broken>"


def pair() -> tuple[socket.socket, socket.socket]:
    return socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)


def test_frames_over_a_socket(wire: ModuleType) -> None:
    left, right = pair()
    with left, right:
        wire.send(left, {"op": "request", "args": {"content": b"{}"}})
        wire.send(left, [Decimal("1.5")])
        assert wire.receive(right) == {"op": "request", "args": {"content": b"{}"}}
        assert wire.receive(right) == [Decimal("1.5")]
        left.close()
        with pytest.raises(wire.ConnectionClosed):
            wire.receive(right)


def frame(body: bytes) -> bytes:
    return len(body).to_bytes(4, "big") + body


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"\x00\x00", "truncated frame header"),
        (frame(b"{}" * 8)[:6], "truncated frame: 2 of 16 bytes"),
        (b"\x7f\xff\xff\xff", "over the"),  # refused before anything is read
        (frame(b"{x}"), "not a message"),
        (frame(b'{"$t":"eval","v":"print(1)"}'), "unknown tag 'eval'"),
        (frame(b'{"$t":"decimal","v":'), "not a message"),
        (frame(b'{"$t":"decimal","v":"twelve"}'), "not a message"),
        (frame(b"\xff\xfe"), "not a message"),
    ],
)
def test_broken_frames_are_refused(wire: ModuleType, raw: bytes, message: str) -> None:
    left, right = pair()
    with left, right:
        left.sendall(raw)
        left.close()
        with pytest.raises(wire.WireError, match=message) as refused:
            wire.receive(right)
        assert not isinstance(refused.value, wire.ConnectionClosed)


def test_a_message_over_the_limit_is_not_sent(wire: ModuleType, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(wire, "MAX_FRAME", 100)
    with pytest.raises(wire.WireError, match="over the 100-byte limit"):
        wire.dumps("x" * 200)


def test_deep_nesting_is_a_wire_error_not_a_crash(wire: ModuleType) -> None:
    body = b"[" * 100_000 + b"]" * 100_000
    with pytest.raises(wire.WireError):
        wire.loads(body)


class FakeHashes:
    def password(self, raw: str) -> str:
        return f"hashed-password:{raw}"

    def token(self, raw: str) -> str:
        return f"hashed-token:{raw}"


def test_directives_resolve(wire: ModuleType) -> None:
    now = datetime.now(UTC).replace(tzinfo=None)
    values = wire.resolve(
        {
            "money": "@decimal:12.50",
            "times": ["@now", "@now+1h", "@now-3d"],
            "year": "@year-1",
            "invoice": "@strftime-1y:INV-%Y-0042",
            "secrets": ["@password:pw", "@token:tk"],
            "any": "@any",
            "plain": ["@example.com", 3],
        },
        FakeHashes(),
    )
    assert values["money"] == Decimal("12.50") and isinstance(values["money"], Decimal)
    at, later, earlier = values["times"]
    assert abs(at - now) < timedelta(seconds=5)
    assert abs(later - at - timedelta(hours=1)) < timedelta(seconds=5)
    assert abs(at - earlier - timedelta(days=3)) < timedelta(seconds=5)
    assert values["year"] == now.year - 1
    assert values["invoice"] == f"INV-{now.year - 1}-0042"
    assert values["secrets"] == ["hashed-password:pw", "hashed-token:tk"]
    assert values["any"] is wire.ANY and values["plain"] == ["@example.com", 3]
    with pytest.raises(ValueError, match="needs the app's hashing"):
        wire.resolve("@token:x")


# ---- the client against a host loop over a real Unix socket -----------------------------


class FakeApp:
    """Stands in for the host's App: what `handle` dispatches to."""

    def __init__(self) -> None:
        self.pristine = False
        self.resets = 0

    def reset(self) -> None:
        self.resets += 1

    def request(self, method: str, path: str, headers: dict[str, str], content: bytes | None):  # type: ignore[no-untyped-def]
        if path == "/boom":
            raise KeyError("the app's own bug")
        return {
            "status": 200,
            "headers": [["Content-Type", "application/json"], ["X-A", "1"], ["x-a", "2"]],
            "content": content or b'{"ok": true}',
            "method": method,
            "path": path.split("?")[0],
        }

    def charges(self) -> list[dict[str, Any]]:
        return [{"amount": Decimal("12.50"), "currency": "EUR", "idempotency_key": "k1"}]


@contextlib.contextmanager
def hosted(modules: dict[str, ModuleType], tmp_path: Path) -> Iterator[tuple[Any, FakeApp]]:
    path = str(tmp_path / "app.sock")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen(8)
    app = FakeApp()
    thread = threading.Thread(target=modules["_app_host"].serve, args=(server, app), daemon=True)
    thread.start()
    client = modules["_harness_support"].AppHost(path, tmp_path / "control")
    try:
        yield client, app
    finally:
        client.close()
        stop(server)
        thread.join(timeout=5)


def stop(server: socket.socket) -> None:
    with contextlib.suppress(OSError):
        server.shutdown(socket.SHUT_RDWR)  # wakes the accept() of the host loop
    server.close()


def test_the_client_calls_the_host_and_reads_its_replies(
    modules: dict[str, ModuleType], tmp_path: Path
) -> None:
    support = modules["_harness_support"]
    with hosted(modules, tmp_path) as (client, app):
        client.call("reset")
        request = support._request("POST", "/orders?x=1", body={"a": 1}, auth="tok")
        response = support.Response(client.call("request", **request))
        assert response.status_code == 200 and response.json() == {"a": 1}
        assert response.request.method == "POST" and response.request.url.path == "/orders"
        assert response.headers.get("x-a") == "1, 2" and "content-type" in response.headers
        assert response.headers.get("X-Missing") is None and "X-Missing" not in response.headers
        assert client.call("charges")[0]["amount"] == Decimal("12.50")
        assert app.resets == 1


def test_an_app_error_is_the_case_failure_with_its_traceback(
    modules: dict[str, ModuleType], tmp_path: Path
) -> None:
    support = modules["_harness_support"]
    with hosted(modules, tmp_path) as (client, _):
        request = support._request("GET", "/boom")
        with pytest.raises(support.AppError, match='KeyError: "the app\'s own bug"'):
            client.call("request", **request)
        with pytest.raises(support.AppError, match="unknown operation 'exec'"):
            client.call("exec")
        client.call("reset")  # the connection is still good


def test_a_host_that_hangs_up_fails_the_request_and_the_next_one_reconnects(
    modules: dict[str, ModuleType], tmp_path: Path
) -> None:
    support, wire = modules["_harness_support"], modules["_shared"]
    path = str(tmp_path / "app.sock")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen(8)

    def host() -> None:
        first, _ = server.accept()
        wire.receive(first)
        first.close()  # as a host whose app called os._exit
        second, _ = server.accept()
        with second:
            wire.receive(second)
            wire.send(second, {"ok": "fresh"})

    thread = threading.Thread(target=host, daemon=True)
    thread.start()
    client = support.AppHost(path, tmp_path / "control")
    try:
        with pytest.raises(support.AppError, match="the app's process ended during this request"):
            client.call("request", method="GET", path="/", headers={}, content=None)
        assert client.call("reset") == "fresh"
    finally:
        client.close()
        stop(server)
        thread.join(timeout=5)


def test_the_harness_note_ends_the_wait_at_once(
    modules: dict[str, ModuleType], tmp_path: Path
) -> None:
    support = modules["_harness_support"]
    control = tmp_path / "control"
    control.mkdir()
    (control / "gone").write_text("the app host could not be started (no python)")
    client = support.AppHost(str(tmp_path / "nothing.sock"), control)
    started = time.monotonic()
    with pytest.raises(support.AppError, match="not running: the app host could not be started"):
        client.call("reset")
    assert time.monotonic() - started < 1


def test_a_failure_returned_as_a_value_is_told_from_a_success(
    modules: dict[str, ModuleType],
) -> None:
    """What counts as "a failure that comes back as a value": an exception object, a type
    named as a failure, or an error held under an error-like attribute, unless it says ok."""
    evidence = modules["_app_evidence"]

    @dataclasses.dataclass
    class Failure:
        error: object

    @dataclasses.dataclass
    class Err:
        reason: str

    @dataclasses.dataclass
    class Success:
        value: object

    @dataclasses.dataclass
    class Outcome:
        ok: bool
        error: object = None

    carried = evidence.carried_error
    assert carried(Failure(ValueError("x"))) == "returned Failure"
    assert carried(Err("not_found")) == "returned Err"
    assert carried(LookupError("missing")) == "returned LookupError"
    assert carried(Outcome(ok=False, error="stock")) == "returned Outcome with error=str"
    assert carried(Outcome(ok=True, error="ignored")) is None
    assert carried(Success(1)) is None
    assert carried({"error": "a dict key is not an attribute"}) is None
    assert carried(None) is None


def test_a_raise_is_classed_by_its_type_and_located_in_the_workspace(
    modules: dict[str, ModuleType], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    evidence = modules["_app_evidence"]
    service = tmp_path / "app" / "services" / "s.py"
    service.parent.mkdir(parents=True)
    service.write_text(
        "class HTTPException(Exception):\n    pass\n\n"
        "def http():\n    raise HTTPException(404)\n\n"
        "def own():\n    raise KeyError('order 7')\n"
    )
    monkeypatch.setattr(evidence, "WORKSPACE", tmp_path)
    namespace: dict[str, object] = {}
    exec(compile(service.read_text(), str(service), "exec"), namespace)
    replies = []
    for name in ("http", "own"):
        try:
            namespace[name]()  # type: ignore[operator]
        except Exception as exc:
            replies.append(evidence.raised(exc))
    assert [r["outcome"] for r in replies] == ["raised-http-exception", "raised-error"]
    assert replies[0]["frames"] == [["app/services/s.py", 5]]
    assert replies[1]["frames"] == [["app/services/s.py", 8]]
    assert replies[1]["message"] == "KeyError: 'order 7'"


# ---- the time limit of a request ---------------------------------------------------------

LIMIT = 0.5


class Restarts:
    """The harness's side of `restart.sock`: records each request for a fresh host."""

    def __init__(self, control: Path) -> None:
        control.mkdir(exist_ok=True)
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(str(control / "restart.sock"))
        self.server.listen(4)
        self.asked: list[bytes] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self.server.accept()
            except OSError:
                return
            with connection:
                self.asked.append(connection.recv(16))
                connection.sendall(b"ok\n")

    def close(self) -> None:
        stop(self.server)
        self.thread.join(timeout=5)


@contextlib.contextmanager
def stuck_host(
    wire: ModuleType, tmp_path: Path, answer: Any = None
) -> Iterator[tuple[socket.socket, list[dict[str, Any]]]]:
    """A host that reads each request and answers it with `answer(connection)`, or never."""
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(tmp_path / "app.sock"))
    server.listen(8)
    seen: list[dict[str, Any]] = []

    def serve() -> None:
        with contextlib.suppress(OSError):
            while True:
                connection, _ = server.accept()
                seen.append(wire.receive(connection))
                if answer is not None:
                    threading.Thread(target=answer, args=(connection,), daemon=True).start()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield server, seen
    finally:
        stop(server)
        thread.join(timeout=5)


@pytest.mark.parametrize(
    ("op", "args", "named"),
    [
        ("request", {"method": "POST", "path": "/orders?x=1"}, "POST /orders?x=1"),
        (
            "concurrently",
            {"count": 16, "request": {"method": "POST", "path": "/orders"}},
            "16 simultaneous POST /orders",
        ),
        (
            "call",
            {"target": "app.services.s:Orders", "method": "create"},
            "app.services.s:Orders.create",
        ),
        ("reset", {}, "a fresh app state"),
    ],
)
def test_a_request_the_app_never_answers_times_out_and_asks_for_a_fresh_host(
    modules: dict[str, ModuleType], tmp_path: Path, op: str, args: dict[str, Any], named: str
) -> None:
    support = modules["_harness_support"]
    restarts = Restarts(tmp_path / "control")
    try:
        with stuck_host(modules["_shared"], tmp_path) as (_, seen):
            client = support.AppHost(str(tmp_path / "app.sock"), tmp_path / "control", LIMIT)
            started = time.monotonic()
            with pytest.raises(support.AppError) as caught:
                client.call(op, **args)
            elapsed = time.monotonic() - started
    finally:
        restarts.close()
    assert f"timed out after {LIMIT:g} s: " in str(caught.value) and named in str(caught.value)
    assert len(seen) == 1  # a timeout is never retried, not even for an idempotent step
    assert restarts.asked == [b"restart"]
    assert LIMIT <= elapsed < LIMIT + 5


def test_a_reply_that_trickles_in_still_times_out(
    modules: dict[str, ModuleType], tmp_path: Path
) -> None:
    """The limit is on the whole reply, not on each read: a byte every 0.1 s cannot hold it."""
    support, wire = modules["_harness_support"], modules["_shared"]
    frame = wire.dumps({"ok": "x" * 100})

    def trickle(connection: socket.socket) -> None:
        with contextlib.suppress(OSError):
            for byte in frame:
                connection.sendall(bytes([byte]))
                time.sleep(0.1)

    with stuck_host(wire, tmp_path, trickle):
        client = support.AppHost(str(tmp_path / "app.sock"), tmp_path / "control", LIMIT)
        started = time.monotonic()
        with pytest.raises(support.AppError, match=r"timed out after 0\.5 s: GET /slow"):
            client.call("request", method="GET", path="/slow", headers={}, content=None)
        assert time.monotonic() - started < LIMIT + 5


def test_an_answer_within_the_limit_is_read(modules: dict[str, ModuleType], tmp_path: Path) -> None:
    support, wire = modules["_harness_support"], modules["_shared"]

    def late(connection: socket.socket) -> None:
        time.sleep(LIMIT / 5)
        wire.send(connection, {"ok": "in time"})

    with stuck_host(wire, tmp_path, late):  # no restart socket: a timeout would still be raised
        client = support.AppHost(str(tmp_path / "app.sock"), tmp_path / "control", LIMIT)
        assert client.call("reset") == "in time"


# ---- the architecture probe, forked from the host -----------------------------------------


@pytest.fixture
def probe_workspace(
    modules: dict[str, ModuleType], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Path:
    services = tmp_path / "probed_app" / "services"
    services.mkdir(parents=True)
    (tmp_path / "probed_app" / "__init__.py").write_text("")
    (services / "__init__.py").write_text("")
    (services / "clean.py").write_text("import json\n\nVALUE = json.dumps(1)\n")
    (services / "framework.py").write_text("from fastapi import HTTPException\n")
    (services / "hangs.py").write_text("import time\n\ntime.sleep(60)\n")
    monkeypatch.setattr(modules["_app_evidence"], "WORKSPACE", tmp_path)
    return tmp_path


def probe(modules: dict[str, ModuleType], monkeypatch: pytest.MonkeyPatch, *paths: str) -> Any:
    evidence = modules["_app_evidence"]
    monkeypatch.setattr(evidence, "PROBE_PATHS", "\n".join(paths))
    return evidence.Probe().outcome()


def test_the_probe_names_the_modules_that_need_the_framework(
    modules: dict[str, ModuleType], probe_workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import fastapi  # noqa: F401 (imported here already: the probe must still block it)

    clean, framework = "probed_app/services/clean.py", "probed_app/services/framework.py"
    outcome = probe(modules, monkeypatch, clean, framework)
    assert outcome["returncode"] == 1
    assert outcome["out"].startswith(f"{framework}\tImportError: fastapi is blocked")
    assert clean not in outcome["out"]
    assert probe(modules, monkeypatch, clean) == {"returncode": 0, "out": "", "err": ""}
    assert "probed_app.services.clean" not in __import__("sys").modules  # a child's import


def test_a_probe_that_hangs_is_stopped(
    modules: dict[str, ModuleType], probe_workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(modules["_app_evidence"], "PROBE_SECONDS", 0.5)
    started = time.monotonic()
    outcome = probe(modules, monkeypatch, "probed_app/services/hangs.py")
    assert outcome == {"timed_out": True, "seconds": 0.5}
    assert time.monotonic() - started < 10
