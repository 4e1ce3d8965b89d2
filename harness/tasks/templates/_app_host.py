"""The app host of a generated suite: the only process that imports the workspace's app.

Runs in a sandbox of its own (harness/tasks/app_host.py starts it), which sees the workspace
but neither the suite nor its results. The tests run in another sandbox and send their
requests over a Unix socket; everything that touches app code happens here: the ASGI app
(through one TestClient), the database (a fresh one per test), seeded rows and row checks,
service calls, the integrations fakes, and the architecture probe. Replies are data; the
verdict is the tests' to write, out of this process's reach.

Imports only the workspace's public surface: `app.main.app`, `app.db`, `app.models`,
`app.core.config`, `app.core.security`, `app.integrations`, and the service entry points
the contract names.

The app runs on a copy of the workspace: the harness binds the workspace read-only and this
script copies it into /workspace, a tmpfs of the workspace's quota, before any app code
runs. So whatever the app writes stays within that quota and leaves the graded workspace
as it was. The listening socket is the harness's, inherited (HARNESS_APP_SOCKET_FD).
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import os
import shutil
import socket
import sys
import tempfile
import threading
import traceback
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # -I leaves the script's dir out

import _app_evidence as evidence
import _shared as wire

WORKSPACE = Path(os.environ.get("HARNESS_WORKSPACE_PATH", "/workspace"))
SOURCE = os.environ.get("HARNESS_WORKSPACE_SOURCE")  # the workspace, to copy into WORKSPACE
SOCKET_FD = os.environ.get("HARNESS_APP_SOCKET_FD")
READY_LINE = os.environ.get("HARNESS_APP_READY", "ready")
SERVER_URL = os.environ.get("HARNESS_DATABASE_URL")
DATA_DIR = os.environ.get("HARNESS_APP_DATA")
TRACEBACK_CHARS = 8000
INTEGRATIONS = (
    ("app.integrations.email", "reset_email_sender"),
    ("app.integrations.payments", "reset_payment_gateway"),
)


class AppHashes:
    """`@password:` and `@token:` with the app's own hashing (app.core.security)."""

    def password(self, raw: str) -> str:
        security = importlib.import_module("app.core.security")
        try:  # a cheap hash for seeded users: verification reads the iterations from it
            return security.hash_password(raw, iterations=wire.SEED_HASH_ITERATIONS)
        except TypeError:
            return security.hash_password(raw)

    def token(self, raw: str) -> str:
        return importlib.import_module("app.core.security").hash_token(raw)


def _models() -> Any:
    return importlib.import_module("app.models")


def _email_sender() -> Any:
    return importlib.import_module("app.integrations.email").get_email_sender()


def _payment_gateway() -> Any:
    return importlib.import_module("app.integrations.payments").get_payment_gateway()


def _advance_sequences(session: Any, metadata: Any) -> None:
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


def _response(response: Any) -> dict[str, Any]:
    return {
        "status": response.status_code,
        "headers": [list(pair) for pair in response.headers.multi_items()],
        "content": response.content,
        "method": response.request.method,
        "path": response.request.url.path,
    }


class App:
    """The app under test and its state; `reset` gives every test a fresh one."""

    def __init__(self, probe: evidence.Probe, broken: str | None = None) -> None:
        self.probe_runner = probe
        self.broken = broken  # why the app cannot run at all (its workspace did not fit)
        self.hashes = AppHashes()
        self.data = Path(DATA_DIR or tempfile.mkdtemp(prefix="harness-app-"))
        self.schema: Path | None = None
        self.cases = 0
        self.pristine = False
        self.client: Any = None
        self.db: Any = None

    # -- state --------------------------------------------------------------------------

    def reset(self) -> None:
        """A fresh database (SQLite: a copy of the empty schema, made once; PostgreSQL: the
        suite's database emptied) and fresh fakes; then the shared client, entered once."""
        if self.broken is not None:
            raise RuntimeError(self.broken)
        if self.pristine:
            return
        self.cases += 1
        database = self.data / f"case-{self.cases}.db"
        if SERVER_URL is None and self.schema is not None:
            shutil.copyfile(self.schema, database)
        os.environ["DATABASE_URL"] = SERVER_URL or f"sqlite:///{database}"
        importlib.import_module("app.core.config").get_settings.cache_clear()
        db = importlib.import_module("app.db")
        db.reset_engine()
        if SERVER_URL is not None:
            _models()
            db.Base.metadata.drop_all(db.get_engine())
        db.init_db()
        if SERVER_URL is None and self.schema is None:
            db.reset_engine()
            self.schema = self.data / "schema.db"
            shutil.copyfile(database, self.schema)
            db.init_db()
        for module_name, reset in INTEGRATIONS:
            getattr(importlib.import_module(module_name), reset)()
        self.db = db
        if self.client is None:
            from fastapi.testclient import TestClient

            client = TestClient(
                importlib.import_module("app.main").app, raise_server_exceptions=False
            )
            client.__enter__()
            self.client = client
        self.pristine = True

    def integrations(self, email_fail: bool | None, gateway_fail: bool | None) -> None:
        """Make the process-wide fake sender / gateway fail (True) or work (False)."""
        if email_fail is not None:
            _email_sender().fail = email_fail
        if gateway_fail is not None:
            _payment_gateway().fail = gateway_fail

    def _session(self) -> Any:
        return self.db.get_sessionmaker()()

    def seed(self, rows: list[dict[str, Any]]) -> None:
        models = _models()
        with self._session() as session:
            for row in rows:
                session.add(
                    getattr(models, row["model"])(**wire.resolve(row["values"], self.hashes))
                )
                session.flush()
            session.commit()
            _advance_sequences(session, self.db.Base.metadata)

    # -- requests -----------------------------------------------------------------------

    def request(
        self, method: str, path: str, headers: dict[str, str], content: bytes | None
    ) -> dict[str, Any]:
        response = self.client.request(method, path, content=content, headers=headers)
        return _response(response)

    def concurrently(self, count: int, request: dict[str, Any]) -> list[dict[str, Any]]:
        """`count` copies of one request, released at the same moment from as many threads."""
        barrier = threading.Barrier(count)

        def one() -> dict[str, Any]:
            barrier.wait()
            return self.request(**request)

        with ThreadPoolExecutor(max_workers=count) as pool:
            futures = [pool.submit(one) for _ in range(count)]
            return [future.result() for future in futures]

    # -- services -----------------------------------------------------------------------

    def _argument(self, value: Any, session: Any) -> Any:
        """ "@db" (the session), "@email_sender" / "@payment_gateway" (the process-wide
        fakes), else a contract value (directives resolved)."""
        if value == "@db":
            return session
        if value == "@email_sender":
            return _email_sender()
        if value == "@payment_gateway":
            return _payment_gateway()
        return wire.resolve(value, self.hashes)

    def call(
        self,
        target: str,
        method: str | None,
        args: list[Any],
        kwargs: dict[str, Any],
        is_async: bool,
        init_args: list[Any],
    ) -> dict[str, Any]:
        """Call a service entry point; the reply says how it answered (a value, and whether
        that value carries an error, or what it raised and from where), never judges it."""
        module_name, _, attr = target.partition(":")
        try:
            obj = getattr(importlib.import_module(module_name), attr)
        except (ImportError, AttributeError) as exc:
            return {"outcome": "missing-entry-point", "message": evidence.one_line(exc)}
        with self._session() as session:
            try:
                if method is not None:
                    instance = obj(session, *[self._argument(a, session) for a in init_args])
                    if not hasattr(instance, method):
                        return {
                            "outcome": "missing-entry-point",
                            "message": f"{attr} has no {method}",
                        }
                    obj = getattr(instance, method)
                result = obj(
                    *[self._argument(a, session) for a in args],
                    **{k: self._argument(v, session) for k, v in kwargs.items()},
                )
                if is_async or asyncio.iscoroutine(result):
                    result = asyncio.run(result)
            except Exception as exc:
                return evidence.raised(exc)
            session.commit()
        carried = evidence.carried_error(result)
        return {
            "outcome": "value",
            "carries_error": carried is not None,
            "message": carried or f"{type(result).__name__}: {wire.safe_repr(result)}"[:300],
        }

    # -- what the checks compare --------------------------------------------------------

    def rows(self, model: str, where: dict[str, Any], fields: list[str]) -> list[dict[str, Any]]:
        """The rows of `model` matching `where` (directives resolved here), as {field: value}."""
        from sqlalchemy import select

        cls = getattr(_models(), model)
        with self._session() as session:
            query = select(cls)
            for column, value in wire.resolve(where, self.hashes).items():
                query = query.where(getattr(cls, column) == value)
            return [{name: getattr(row, name) for name in fields} for row in session.scalars(query)]

    def hash(self, kind: str, raw: str) -> str:
        return self.hashes.password(raw) if kind == "password" else self.hashes.token(raw)

    def emails(self) -> list[dict[str, Any]]:
        return [
            {"to": m.to, "subject": m.subject, "body": m.body} for m in list(_email_sender().sent)
        ]

    def charges(self) -> list[dict[str, Any]]:
        return [
            {"amount": c.amount, "currency": c.currency, "idempotency_key": c.idempotency_key}
            for c in list(_payment_gateway().charges)
        ]

    def probe(self) -> dict[str, Any]:
        return self.probe_runner.outcome()


# What leaves a fresh state fresh: a reset right after it has nothing to do.
FRESH_STATE_OPS = frozenset({"reset", "probe", "hash"})
OPS = frozenset(
    {
        "reset",
        "integrations",
        "seed",
        "request",
        "concurrently",
        "call",
        "rows",
        "hash",
        "emails",
        "charges",
        "probe",
    }
)


def handle(app: App, message: dict[str, Any]) -> dict[str, Any]:
    """One request -> one reply: {"ok": value} or {"error": the app's traceback}."""
    op = message.get("op")
    if op not in OPS:
        return {"error": f"unknown operation {op!r}"}
    if op not in FRESH_STATE_OPS:
        app.pristine = False
    try:
        return {"ok": getattr(app, op)(**message.get("args", {}))}
    except (Exception, SystemExit) as exc:  # from the app's frames on: this one is noise
        frames = traceback.format_exception(type(exc), exc, exc.__traceback__.tb_next)
        return {"error": "".join(frames)[-TRACEBACK_CHARS:]}


def serve(server: socket.socket, app: App) -> None:
    """One client at a time (the suite's pytest process), one request at a time."""
    while True:
        try:
            connection, _ = server.accept()
        except OSError:  # the socket was closed: nothing more to serve
            return
        with connection:
            while True:
                try:
                    message = wire.receive(connection)
                except wire.WireError:
                    break
                reply = (
                    handle(app, message)
                    if isinstance(message, dict)
                    else {"error": "not a request"}
                )
                try:
                    data = wire.dumps(reply)
                except (wire.WireError, ValueError, RecursionError) as exc:
                    data = wire.dumps({"error": f"the reply could not be sent: {exc}"})
                try:
                    connection.sendall(data)
                except OSError:
                    break


def _copied() -> str | None:
    """Copy the workspace into the app's own; why the app cannot run, if it did not fit."""
    if SOURCE is None:
        return None
    try:
        skipped = evidence.copy_workspace(Path(SOURCE), WORKSPACE)
    except OSError as exc:
        return f"the workspace does not fit in the app's disk ({exc.strerror}: {exc.filename})"
    if skipped:
        sys.stderr.write(f"{skipped} workspace entries could not be copied\n")
    return None


def main() -> None:
    if not SOCKET_FD:
        sys.exit("no listening socket (HARNESS_APP_SOCKET_FD)")
    server = socket.socket(fileno=int(SOCKET_FD))
    sys.stdout.write(READY_LINE + "\n")  # before any app code: the harness's part worked
    sys.stdout.flush()
    broken = _copied()
    with contextlib.suppress(OSError):
        os.chdir(WORKSPACE)  # relative paths the app writes land in its copy
    probe = evidence.Probe(keep_closed=(server.fileno(),))
    if str(WORKSPACE) not in sys.path:
        sys.path.insert(0, str(WORKSPACE))
    app = App(probe, broken)
    with contextlib.suppress(Exception, SystemExit):
        app.reset()  # the app's import overlaps pytest's start; a failure repeats per test
    serve(server, app)


if __name__ == "__main__":
    main()
