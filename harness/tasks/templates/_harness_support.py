"""Support code for generated contract suites (copied beside them by the harness).

Runs inside the sandbox, against the workspace under test; imports only the workspace's
public surface: `app.main.app`, `app.db`, `app.models`, `app.core.config`,
`app.core.security`, `app.core.result`, `app.integrations`.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import importlib
import json
import os
import re
import shutil
import sys
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

WORKSPACE = Path(os.environ.get("HARNESS_WORKSPACE_PATH", "/workspace"))
if str(WORKSPACE) not in sys.path:
    sys.path.insert(0, str(WORKSPACE))

_PLACEHOLDER = re.compile(r"\{([A-Za-z_]\w*)\}")
_PATH_PART = re.compile(r"\.([^.\[\]\s]+)|\[(\d+)\]")
_YEAR = re.compile(r"^@year(?P<offset>[+-]\d+)?$")
_SHIFTED_STRFTIME = re.compile(r"^strftime(?:(?P<sign>[+-])(?P<amount>\d+)(?P<unit>[smhdy]))?$")
_RELATIVE_TIME = re.compile(r"^@now(?:(?P<sign>[+-])(?P<amount>\d+)(?P<unit>[smhd]))?$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}
ANY = object()
SEED_HASH_ITERATIONS = 1000


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _shift(moment: datetime, sign, amount, unit) -> datetime:
    if not sign:
        return moment
    count = int(amount) * (1 if sign == "+" else -1)
    if unit == "y":
        try:
            return moment.replace(year=moment.year + count)
        except ValueError:  # 29 February in a year without one
            return moment.replace(year=moment.year + count, day=28)
    return moment + timedelta(**{_UNITS[unit]: count})


def resolve(value):
    """Contract directives: @now±N[smhd], @year±N, @strftime[±N[smhdy]]:FMT (now, shifted,
    formatted), @password:x,
    @token:x, @decimal:x, @any."""
    if isinstance(value, dict):
        return {k: resolve(v) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v) for v in value]
    if not isinstance(value, str) or not value.startswith("@"):
        return value
    match = _RELATIVE_TIME.match(value)
    if match:
        if not match.group("sign"):
            return utcnow()
        delta = timedelta(**{_UNITS[match.group("unit")]: int(match.group("amount"))})
        return utcnow() + delta if match.group("sign") == "+" else utcnow() - delta
    year = _YEAR.match(value)
    if year:
        return utcnow().year + int(year.group("offset") or 0)
    kind, _, arg = value[1:].partition(":")
    shifted = _SHIFTED_STRFTIME.match(kind)
    if shifted:
        return _shift(utcnow(), shifted.group("sign"), shifted.group("amount"), shifted.group("unit")).strftime(arg)
    if kind == "password":
        from app.core.security import hash_password

        try:  # a cheap hash for seeded users: verification reads the iterations from it
            return hash_password(arg, iterations=SEED_HASH_ITERATIONS)
        except TypeError:
            return hash_password(arg)
    if kind == "token":
        from app.core.security import hash_token

        return hash_token(arg)
    if kind == "decimal":
        return Decimal(arg)
    if kind == "any":
        return ANY
    return value


def _models():
    return importlib.import_module("app.models")


def seed(session, rows) -> None:
    models = _models()
    for row in rows:
        session.add(getattr(models, row["model"])(**resolve(row["values"])))
        session.flush()
    session.commit()


_client = None
_schema_file: Path | None = None


def _shared_client():
    """One TestClient (and one app lifespan) per suite; each test gets a fresh database."""
    global _client
    if _client is None:
        from fastapi.testclient import TestClient

        main = importlib.import_module("app.main")
        _client = TestClient(main.app, raise_server_exceptions=False)
        _client.__enter__()
    return _client


class Harness:
    """A fresh database and fresh fakes per test: isolation between cases."""

    def __init__(self, tmp_path: Path) -> None:
        global _schema_file
        url = os.environ.get("HARNESS_DATABASE_URL")
        database = tmp_path / "test.db"
        if url is None and _schema_file is not None:
            shutil.copyfile(_schema_file, database)  # the empty schema, made once per suite
        os.environ["DATABASE_URL"] = url or f"sqlite:///{database}"
        from app.core.config import get_settings

        get_settings.cache_clear()
        db = importlib.import_module("app.db")
        db.reset_engine()
        if url is not None:  # one server database per suite: emptied for every case
            _models()
            db.Base.metadata.drop_all(db.get_engine())
        db.init_db()
        if url is None and _schema_file is None:
            db.reset_engine()
            _schema_file = tmp_path.parent / "schema.db"
            shutil.copyfile(database, _schema_file)
            db.init_db()
        for module_name, reset in (
            ("app.integrations.email", "reset_email_sender"),
            ("app.integrations.payments", "reset_payment_gateway"),
        ):
            module = importlib.import_module(module_name)
            getattr(module, reset)()
        self.db = db
        self.client = _shared_client()

    def integrations(self, email_fail=None, gateway_fail=None) -> None:
        """Make the process-wide fake sender / gateway fail (True) or work (False)."""
        if email_fail is not None:
            importlib.import_module("app.integrations.email").get_email_sender().fail = email_fail
        if gateway_fail is not None:
            payments = importlib.import_module("app.integrations.payments")
            payments.get_payment_gateway().fail = gateway_fail

    def close(self) -> None:
        self.db.reset_engine()

    def session(self):
        return self.db.get_sessionmaker()()

    def seed(self, rows) -> None:
        with self.session() as session:
            seed(session, rows)
            _advance_sequences(session, self.db.Base.metadata)

    def concurrently(self, count, *args, **kwargs):
        """`count` copies of one request, released at the same moment from as many threads."""
        from concurrent.futures import ThreadPoolExecutor
        from threading import Barrier

        barrier = Barrier(count)

        def one():
            barrier.wait()
            return self.request(*args, **kwargs)

        with ThreadPoolExecutor(max_workers=count) as pool:
            futures = [pool.submit(one) for _ in range(count)]
            return [future.result() for future in futures]

    def request(self, method, path, body=None, headers=None, auth=None, sign=None):
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
        return self.client.request(method, str(path), content=content, headers=headers)

    def call(self, target, method, args, kwargs, is_async, init_args=()):
        module_name, _, attr = target.partition(":")
        obj = getattr(importlib.import_module(module_name), attr)
        with self.session() as session:
            resolved_args = [_argument(a, session) for a in args]
            resolved_kwargs = {k: _argument(v, session) for k, v in kwargs.items()}
            if method is not None:
                obj = getattr(obj(session, *[_argument(a, session) for a in init_args]), method)
            result = obj(*resolved_args, **resolved_kwargs)
            if is_async or asyncio.iscoroutine(result):
                result = asyncio.run(result)
            session.commit()
            return result


def _advance_sequences(session, metadata) -> None:
    """PostgreSQL: seeded rows carry explicit ids, which do not move the id sequences; move
    them past the seeded ids so the application's own inserts do not collide."""
    if session.get_bind().dialect.name != "postgresql":
        return
    from sqlalchemy import Integer, func, select

    for table in metadata.sorted_tables:
        columns = list(table.primary_key.columns)
        if len(columns) != 1 or not isinstance(columns[0].type, Integer):
            continue
        column = columns[0]
        sequence = func.pg_get_serial_sequence(table.name, column.name)
        next_id = select(func.coalesce(func.max(column), 0) + 1).scalar_subquery()
        session.execute(select(func.setval(sequence, next_id, False)))
    session.commit()


def _argument(value, session):
    """A service call argument: "@db" (the session), "@email_sender" / "@payment_gateway"
    (the process-wide fakes), else a contract value (directives resolved)."""
    if value == "@db":
        return session
    if value == "@email_sender":
        return importlib.import_module("app.integrations.email").get_email_sender()
    if value == "@payment_gateway":
        return importlib.import_module("app.integrations.payments").get_payment_gateway()
    return resolve(value)


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
    sent = list(importlib.import_module("app.integrations.email").get_email_sender().sent)
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
        problems = _subset(payload, resolve(json_subset), "$") if json_subset is not None else []
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
    from sqlalchemy import select

    model = getattr(_models(), model_name)
    with harness.session() as session:
        query = select(model)
        for column, value in resolve(where).items():
            query = query.where(getattr(model, column) == value)
        rows = list(session.scalars(query))
        label = f"{model_name} where {where}"
        if count is not None:
            assert len(rows) == count, f"{label}: expected {count} row(s), found {len(rows)}"
        if values:
            assert rows, f"{label}: no row found"
            expected = resolve(values)
            for row in rows:
                problems = [
                    f"{k}: expected {_show(v)}, got {getattr(row, k)!r}"
                    for k, v in expected.items()
                    if v is not ANY and not _matches(getattr(row, k), v)
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


def _safe_repr(value) -> str:
    """A repr that cannot fail (an ORM object of a closed session raises in its repr)."""
    try:
        return repr(value)
    except Exception:
        return f"<{type(value).__name__}>"


def check_result(result, expected: str, error_name=None) -> None:
    from app.core.result import Failure, Success

    kind = (
        "success"
        if isinstance(result, Success)
        else "failure"
        if isinstance(result, Failure)
        else None
    )
    assert kind is not None, (
        f"expected a Result (Success/Failure), got {type(result).__name__}: {_safe_repr(result)}"
    )
    assert kind == expected, f"expected {expected}, got {_safe_repr(result)}"
    if error_name is not None:
        names = [cls.__name__ for cls in type(result.error).__mro__]
        assert error_name in names, (
            f"expected error {error_name}, got {type(result.error).__name__}"
        )


def _matching(items, label, count, listing):
    if count is None:
        assert items, f"expected at least one {label}; found: {listing}"
    else:
        assert len(items) == count, f"expected {count} {label}, found {len(items)}; all: {listing}"


def check_emails(expected, total=None) -> None:
    """`expected`: [{to, subject_contains, body_contains, count}] against the fake sender."""
    sent = list(importlib.import_module("app.integrations.email").get_email_sender().sent)
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
    charges = list(
        importlib.import_module("app.integrations.payments").get_payment_gateway().charges
    )
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
        amount = resolve(check.get("amount"))
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
