"""Support code for generated contract suites (copied beside them by the harness).

The client side only: it never imports the workspace's app. The app runs in another
process, in another sandbox (the app host, `_app_host.py`), and this module reaches it over
a Unix socket: `Harness` methods are requests to it, and the `check_*` functions compare,
here in the pytest process that writes the verdict, what it replied with the contract.

Every request has a time limit (HARNESS_CASE_SECONDS, the task's `case_seconds`): a request
the app does not answer in time fails its test with "timed out after N s" and what was
asked (the HTTP method and path), and the harness is asked to start a fresh app host for
the next test, so that one hung endpoint costs its own cases, not the suite.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import re
import socket
import time
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import _shared as wire
from _shared import ANY, resolve

EVIDENCE_PROPERTY = "harness-evidence"  # read back by harness/tasks/suite.py

SOCKET_PATH = os.environ.get("HARNESS_APP_SOCKET", "/harness/app/app.sock")
CONTROL_DIR = Path(os.environ.get("HARNESS_APP_CONTROL", "/harness/control"))
CASE_SECONDS = float(os.environ.get("HARNESS_CASE_SECONDS", "20"))
GONE_FILE = "gone"
RESTART_SOCKET = "restart.sock"  # served by the harness (harness/tasks/app_host.py)
RESTART_REQUEST = b"restart"
RESTART_SECONDS = 30.0
CONNECT_SECONDS = 120.0
RETRY_SECONDS = 0.02
RETRIED_OPS = frozenset({"reset", "probe"})  # idempotent: sent again to a restarted host
STEPS = {  # what a request that is not an HTTP request or a service call was doing
    "reset": "a fresh app state (the first one imports the app)",
    "seed": "seeding the database",
    "rows": "reading the database",
    "hash": "hashing with the app's security module",
    "integrations": "setting the email and payment fakes",
    "emails": "reading the fake email sender",
    "charges": "reading the fake payment gateway",
    "probe": "the architecture probe",
}
_PLACEHOLDER = re.compile(r"\{([A-Za-z_]\w*)\}")
_PATH_PART = re.compile(r"\.([^.\[\]\s]+)|\[(\d+)\]")
_CHARSET = re.compile(r"charset=([\w-]+)", re.IGNORECASE)


class AppError(Exception):
    """The app failed a request (its traceback), or its process is not there to answer."""


def describe_step(op: str, args: dict[str, Any]) -> str:
    """What a request to the app host asks, as a timeout message names it."""
    if op == "request":
        return f"{args.get('method')} {args.get('path')}"
    if op == "concurrently":
        request = args.get("request") or {}
        return f"{args.get('count')} simultaneous {request.get('method')} {request.get('path')}"
    if op == "call":
        method = f".{args['method']}" if args.get("method") else ""
        return f"the service call {args.get('target')}{method}"
    return STEPS.get(op, op)


class AppHost:
    """The connection to the app host: one request, one reply, reconnecting when needed."""

    def __init__(
        self, path: str = SOCKET_PATH, control: Path = CONTROL_DIR, seconds: float = CASE_SECONDS
    ) -> None:
        self.path = path
        self.control = control
        self.seconds = seconds
        self.sock: socket.socket | None = None

    def _gone(self) -> str | None:
        """Why the harness stopped (re)starting the app host, once it has."""
        try:
            return (self.control / GONE_FILE).read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None

    def _raise_if_gone(self) -> None:
        gone = self._gone()
        if gone is not None:
            raise AppError(f"the app is not running: {gone}")

    def _connect(self) -> socket.socket:
        deadline = time.monotonic() + CONNECT_SECONDS
        while True:
            self._raise_if_gone()
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.settimeout(RETRY_SECONDS * 50)  # a full backlog must not block for ever
            try:
                sock.connect(self.path)
                return sock
            except OSError:  # not listening yet, or restarting
                sock.close()
            if time.monotonic() > deadline:
                raise AppError(f"the app host did not answer within {CONNECT_SECONDS:.0f} s")
            time.sleep(RETRY_SECONDS)

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
            self.sock = None

    def _exchange(self, message: dict[str, Any], deadline: float) -> Any:
        if self.sock is None:
            self.sock = self._connect()
        try:
            self.sock.settimeout(max(deadline - time.monotonic(), RETRY_SECONDS))
            wire.send(self.sock, message)
            return wire.receive(self.sock, deadline)
        except TimeoutError:
            self.close()
            raise
        except (OSError, wire.WireError) as exc:
            self.close()
            raise ConnectionError(str(exc)) from None

    def restart(self) -> None:
        """Ask the harness for a fresh app host (this one is stuck) and wait until the stuck
        one is gone. Without the harness's socket (a host run by hand), nothing to do."""
        with contextlib.suppress(OSError), socket.socket(socket.AF_UNIX) as control:
            control.settimeout(RESTART_SECONDS)
            control.connect(str(self.control / RESTART_SOCKET))
            control.sendall(RESTART_REQUEST)
            control.recv(16)

    def call(self, op: str, **args: Any) -> Any:
        """The host's reply to `op`; AppError with the app's traceback if it failed, or
        with "timed out after N s" if it did not answer within the case's time limit."""
        message = {"op": op, "args": args}
        deadline = time.monotonic() + self.seconds
        try:
            try:
                reply = self._exchange(message, deadline)
            except ConnectionError as exc:
                self._raise_if_gone()
                if op not in RETRIED_OPS:
                    raise AppError(
                        f"the app's process ended during this request ({exc}): the app may "
                        "have exited, crashed or hit a limit; it is started again for the next test"
                    ) from None
                try:
                    reply = self._exchange(message, deadline)
                except ConnectionError as again:
                    self._raise_if_gone()
                    raise AppError(f"the app's process ended twice in a row ({again})") from None
        except TimeoutError:
            self.restart()
            raise AppError(
                f"timed out after {self.seconds:g} s: {describe_step(op, args)}; the app was "
                "stopped and is started again for the next test"
            ) from None
        if not isinstance(reply, dict) or ("ok" not in reply and "error" not in reply):
            raise AppError(f"the app host sent a malformed reply: {reply!r:.500}")
        if "error" in reply:
            text = str(reply["error"]).strip()
            summary = text.splitlines()[-1] if text else "an error"
            raise AppError(f"the app raised {summary}\n{text}")
        return reply["ok"]


_host: AppHost | None = None


def host() -> AppHost:
    """The suite's one connection to the app host."""
    global _host
    if _host is None:
        _host = AppHost()
    return _host


class Headers:
    """Response headers: case-insensitive, repeated headers joined with ", " (as httpx)."""

    def __init__(self, pairs: list[list[str]]) -> None:
        self.pairs = [(str(name), str(value)) for name, value in pairs]

    def get(self, name: str, default: str | None = None) -> str | None:
        values = [v for n, v in self.pairs if n.lower() == name.lower()]
        return ", ".join(values) if values else default

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and any(n.lower() == name.lower() for n, _ in self.pairs)

    def __getitem__(self, name: str) -> str:
        value = self.get(name)
        if value is None:
            raise KeyError(name)
        return value


class Response:
    """What the app answered to one request, as the checks read it (a TestClient's shape)."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.status_code = int(data["status"])
        self.headers = Headers(data["headers"])
        self.content = bytes(data["content"])
        self.request = SimpleNamespace(
            method=str(data["method"]), url=SimpleNamespace(path=str(data["path"]))
        )

    @property
    def text(self) -> str:
        charset = _CHARSET.search(self.headers.get("content-type") or "")
        try:
            return self.content.decode(charset.group(1) if charset else "utf-8", errors="replace")
        except LookupError:
            return self.content.decode("utf-8", errors="replace")

    def json(self) -> Any:
        return json.loads(self.content)


class RemoteHashes:
    """`@password:` / `@token:` in expected values: hashed by the app, in the app host."""

    def password(self, raw: str) -> str:
        return host().call("hash", kind="password", raw=raw)

    def token(self, raw: str) -> str:
        return host().call("hash", kind="token", raw=raw)


HASHES = RemoteHashes()


def _expected(value: Any) -> Any:
    """A contract value as the checks compare it (directives resolved)."""
    return resolve(value, HASHES)


class Harness:
    """Each test's view of the app: a fresh database and fresh fakes (the host resets them)."""

    def __init__(self, tmp_path: Path | None = None) -> None:
        self.host = host()
        self.host.call("reset")

    def close(self) -> None:
        """Nothing to release here: the next test's reset disposes of this one's state."""

    def integrations(
        self, email_fail: bool | None = None, gateway_fail: bool | None = None
    ) -> None:
        """Make the process-wide fake sender / gateway fail (True) or work (False)."""
        self.host.call("integrations", email_fail=email_fail, gateway_fail=gateway_fail)

    def seed(self, rows: list[dict[str, Any]]) -> None:
        self.host.call("seed", rows=rows)

    def concurrently(self, count: int, *args: Any, **kwargs: Any) -> list[Response]:
        """`count` copies of one request, released at the same moment (in the app host)."""
        replies = self.host.call("concurrently", count=count, request=_request(*args, **kwargs))
        return [Response(reply) for reply in replies]

    def request(self, *args: Any, **kwargs: Any) -> Response:
        return Response(self.host.call("request", **_request(*args, **kwargs)))

    def call(self, target, method, args, kwargs, is_async, init_args=()) -> dict[str, Any]:
        """How the entry point answered, as the app host saw it (rule evidence)."""
        return self.host.call(
            "call", target=target, method=method, args=list(args), kwargs=dict(kwargs),
            is_async=is_async, init_args=list(init_args),
        )  # fmt: skip

    def rows(self, model: str, where: dict[str, Any], fields: list[str]) -> list[dict[str, Any]]:
        return self.host.call("rows", model=model, where=where, fields=fields)


def _request(method, path, body=None, headers=None, auth=None, sign=None) -> dict[str, Any]:
    """The exact request the app receives: headers, JSON body, signature."""
    headers = {name: str(value) for name, value in (headers or {}).items()}
    if auth is not None:
        headers["Authorization"] = f"Bearer {auth}"
    content = None
    if body is not None:
        content = json.dumps(body, separators=(",", ":")).encode()
        headers.setdefault("Content-Type", "application/json")
    if sign is not None:
        digest = hmac.new(sign["secret"].encode(), content or b"", hashlib.sha256).hexdigest()
        headers[sign["header"]] = digest if sign.get("valid", True) else "0" * len(digest)
    return {"method": method, "path": str(path), "headers": headers, "content": content}


def _outbox() -> list[SimpleNamespace]:
    return [SimpleNamespace(**message) for message in host().call("emails")]


def _charges() -> list[SimpleNamespace]:
    return [SimpleNamespace(**charge) for charge in host().call("charges")]


def probe() -> dict[str, Any]:
    return host().call("probe")


def record_evidence(record_property, expected: str, reply: dict[str, Any]) -> None:
    """Rule evidence is recorded, never asserted: the harness reads it from the results file
    and judges it against the rules, apart from the behaviour the other tests check."""
    record_property(EVIDENCE_PROPERTY, json.dumps({"expected": expected, **reply}))


def probe_evidence(outcome: dict[str, Any]) -> dict[str, Any]:
    """The probe's outcome as evidence: the modules that could not import, one per line."""
    if outcome.get("timed_out"):
        return {"outcome": "not-run", "message": f"importing took over {outcome['seconds']} s"}
    if outcome["returncode"] == 0:
        return {"outcome": "imports-cleanly", "message": ""}
    return {"outcome": "imports-framework", "message": (outcome["out"] or outcome["err"])[-4000:]}


def fill(value, captured):
    """Replace `{name}` of captured names: a string that is only `{name}` becomes the captured
    value itself (an int stays an int); elsewhere it is formatted into the string."""
    if isinstance(value, dict):
        return {k: fill(v, captured) for k, v in value.items()}
    if isinstance(value, list):
        return [fill(v, captured) for v in value]
    if not isinstance(value, str):
        return value
    whole = _PLACEHOLDER.fullmatch(value)
    if whole and whole.group(1) in captured:
        return captured[whole.group(1)]
    return _PLACEHOLDER.sub(
        lambda m: str(captured[m.group(1)]) if m.group(1) in captured else m.group(0), value
    )


def capture(response, paths, captured) -> None:
    """Store the values at JSON `paths` ({name: "$.a[0].b"}) of the response in `captured`."""
    try:
        payload = response.json()
    except ValueError:
        raise AssertionError(
            f"expected a JSON body to capture from; {describe(response)}"
        ) from None
    for name, path in paths.items():
        value = payload
        for key, index in _PATH_PART.findall(path[1:]):
            if key and isinstance(value, dict) and key in value:
                value = value[key]
            elif index and isinstance(value, list) and int(index) < len(value):
                value = value[int(index)]
            else:
                raise AssertionError(
                    f"capture {name}: {path} not in the response; {describe(response)}"
                )
        captured[name] = value


def capture_email(specs, captured) -> None:
    """{name: {to, pattern}}: group 1 of `pattern` in the newest email to `to`."""
    sent = _outbox()
    for name, spec in specs.items():
        for message in reversed(sent):
            match = re.search(spec["pattern"], message.body) if message.to == spec["to"] else None
            if match:
                captured[name] = match.group(1)
                break
        else:
            listing = "; ".join(f"to={m.to!r} subject={m.subject!r}" for m in sent) or "no emails"
            raise AssertionError(
                f"capture_email {name}: no email to {spec['to']!r} whose body matches "
                f"{spec['pattern']!r}; sent: {listing}"
            )


def describe(response) -> str:
    body = response.text
    return f"{response.request.method} {response.request.url.path} -> {response.status_code}: {body[:500]}"


def _subset(actual, expected, where: str) -> list[str]:
    if expected is ANY:
        return []
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{where}: expected an object, got {actual!r}"]
        problems = []
        for key, value in expected.items():
            if key not in actual:
                problems.append(f"{where}.{key}: missing")
            else:
                problems.extend(_subset(actual[key], value, f"{where}.{key}"))
        return problems
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            return [f"{where}: expected a list of {len(expected)}, got {actual!r}"]
        return [
            p
            for i, (a, e) in enumerate(zip(actual, expected, strict=True))
            for p in _subset(a, e, f"{where}[{i}]")
        ]
    if _equal(actual, expected):
        return []
    return [f"{where}: expected {expected!r}, got {actual!r}"]


def _equal(actual, expected) -> bool:
    """Strings compare exactly (money promised as "30.00" must be that string); numbers
    and Decimals compare by value, so a database Numeric(10, 2) matches 30 or 30.0."""
    if isinstance(expected, str) or (isinstance(actual, str) and not isinstance(expected, Decimal)):
        return actual == expected
    if isinstance(expected, bool) or isinstance(actual, bool):
        return actual is expected
    if isinstance(expected, (int, float, Decimal)) and isinstance(
        actual, (int, float, Decimal, str)
    ):
        try:
            return Decimal(str(actual)) == Decimal(str(expected))
        except ArithmeticError:
            return False
    return actual == expected


def check_response(
    response,
    status,
    json_subset=None,
    json_keys=(),
    headers=None,
    header_present=(),
    json_absent=(),
):
    statuses = status if isinstance(status, list) else [status]
    assert response.status_code in statuses, f"expected status {status}; {describe(response)}"
    if json_subset is not None or json_keys or json_absent:
        try:
            payload = response.json()
        except ValueError:
            raise AssertionError(f"expected a JSON body; {describe(response)}") from None
        problems = _subset(payload, _expected(json_subset), "$") if json_subset is not None else []
        problems += [
            f"$.{k}: missing"
            for k in json_keys
            if not isinstance(payload, dict) or k not in payload
        ]
        objects = payload if isinstance(payload, list) else [payload]
        problems += [
            f"$.{k}: must not be in the response"
            for k in json_absent
            if any(isinstance(o, dict) and k in o for o in objects)
        ]
        assert not problems, "; ".join(problems) + f"; {describe(response)}"
    for name, value in (headers or {}).items():
        got = response.headers.get(name)
        assert got == value, f"header {name}: expected {value!r}, got {got!r}; {describe(response)}"
    for name in header_present:
        assert name in response.headers, f"header {name} missing; {describe(response)}"


def check_concurrent(responses, status, status_counts) -> None:
    """Each simultaneous response has an allowed status, and the statuses add up exactly."""
    statuses = status if isinstance(status, list) else [status]
    got = sorted(r.status_code for r in responses)
    for response in responses:
        assert response.status_code in statuses, f"expected status {status}; {describe(response)}"
    if status_counts:
        counts = {code: got.count(code) for code in set(got)}
        expected = {int(code): n for code, n in status_counts.items() if n}
        assert counts == expected, (
            f"{len(responses)} simultaneous requests: expected statuses {expected}, got {counts}"
        )


def check_db(harness: Harness, model_name, where, count=None, values=None) -> None:
    rows = harness.rows(model_name, where, list(values or {}))
    label = f"{model_name} where {where}"
    if count is not None:
        assert len(rows) == count, f"{label}: expected {count} row(s), found {len(rows)}"
    if values:
        assert rows, f"{label}: no row found"
        expected = _expected(values)
        for row in rows:
            problems = [
                f"{k}: expected {_show(v)}, got {row[k]!r}"
                for k, v in expected.items()
                if v is not ANY and not _matches(row[k], v)
            ]
            assert not problems, f"{label}: " + "; ".join(problems)


def _matches(actual, expected) -> bool:
    """Equality, or `{between: [low, high]}` (inclusive) for times and amounts."""
    if isinstance(expected, dict) and set(expected) == {"between"}:
        low, high = expected["between"]
        return actual is not None and low <= actual <= high
    return _equal(actual, expected)


def _show(expected) -> str:
    if isinstance(expected, dict) and set(expected) == {"between"}:
        low, high = expected["between"]
        return f"between {low!r} and {high!r}"
    return repr(expected)


def _matching(items, label, count, listing):
    if count is None:
        assert items, f"expected at least one {label}; found: {listing}"
    else:
        assert len(items) == count, f"expected {count} {label}, found {len(items)}; all: {listing}"


def check_emails(expected, total=None) -> None:
    """`expected`: [{to, subject_contains, body_contains, count}] against the fake sender."""
    sent = _outbox()
    listing = "; ".join(f"to={m.to!r} subject={m.subject!r}" for m in sent) or "no emails"
    if total is not None:
        assert len(sent) == total, (
            f"expected {total} email(s) sent in all, found {len(sent)}: {listing}"
        )
    for check in expected:
        subject, body = check.get("subject_contains"), check.get("body_contains")
        matching = [
            m
            for m in sent
            if m.to == check["to"]
            and (subject is None or subject in m.subject)
            and (body is None or body in m.body)
        ]
        label = f"email(s) to {check['to']!r}" + (
            f" with {subject!r} in the subject" if subject else ""
        )
        label += f" with {body!r} in the body" if body else ""
        _matching(matching, label, check.get("count"), listing)


def _same_amount(actual, expected) -> bool:
    if isinstance(expected, Decimal):  # money reaches the gateway as a Decimal, never a float
        return isinstance(actual, Decimal) and actual == expected
    return _equal(actual, expected)


def check_charges(expected, total=None) -> None:
    """`expected`: [{amount, currency, idempotency_key, count}] against the fake gateway."""
    charges = _charges()
    listing = (
        "; ".join(
            f"amount={c.amount!r} currency={c.currency!r} idempotency_key={c.idempotency_key!r}"
            for c in charges
        )
        or "no charges"
    )
    if total is not None:
        assert len(charges) == total, (
            f"expected {total} charge(s) in all, found {len(charges)}: {listing}"
        )
    for check in expected:
        amount = _expected(check.get("amount"))
        fields = {
            k: check.get(k) for k in ("currency", "idempotency_key") if check.get(k) is not None
        }
        matching = [
            c
            for c in charges
            if (amount is None or _same_amount(c.amount, amount))
            and all(getattr(c, k) == v for k, v in fields.items())
        ]
        wanted = ({"amount": amount} if amount is not None else {}) | fields
        _matching(matching, f"charge(s) with {wanted}", check.get("count"), listing)
