"""The private PostgreSQL server behind `--db postgres`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from harness.sandbox.postgres import SOCKET_MOUNT, find_bin_dir, shared_server
from harness.sandbox.run import run_sandboxed

pytestmark = pytest.mark.skipif(
    find_bin_dir() is None, reason="PostgreSQL is not installed (apt-get install postgresql)"
)

QUERY = """
import sys, sqlalchemy as sa
engine = sa.create_engine(sys.argv[1])
with engine.begin() as connection:
    connection.execute(sa.text("CREATE TABLE t (id serial primary key)"))
    connection.execute(sa.text("INSERT INTO t DEFAULT VALUES"))
    print(connection.execute(sa.text("SELECT count(*) FROM t")).scalar())
"""


def test_each_database_is_separate_and_dropped(tmp_path: Path) -> None:
    server = shared_server()
    first, second = server.create_database(), server.create_database()
    try:
        assert first.name != second.name
        for database in (first, second):
            done = subprocess.run(
                [sys.executable, "-c", QUERY, database.url_outside], capture_output=True, text=True
            )
            assert done.stdout.strip() == "1", done.stderr  # a fresh table in each
    finally:
        server.drop_database(first)
        server.drop_database(second)
    listed = server._psql("postgres", "SELECT datname FROM pg_database")
    assert first.name not in listed.stdout and second.name not in listed.stdout


def test_the_sandbox_reaches_it_through_the_socket_and_nothing_else(tmp_path: Path) -> None:
    server = shared_server()
    database = server.create_database()
    try:
        result = run_sandboxed(
            [sys.executable, "-c", QUERY, database.url_inside],
            tmp_path,
            ro_binds={SOCKET_MOUNT: database.socket_dir},
        )
        assert result.stdout.strip() == "1", result.stderr
        tcp = run_sandboxed(
            [
                sys.executable,
                "-c",
                QUERY,
                f"postgresql+psycopg://harness@127.0.0.1:5432/{database.name}",
            ],
            tmp_path,
        )
        assert tcp.returncode != 0  # no network in the sandbox, and the server has no TCP port
    finally:
        server.drop_database(database)


def test_the_server_dies_with_the_harness(tmp_path: Path) -> None:
    script = "from harness.sandbox.postgres import shared_server; s = shared_server(); print(s.process.pid, flush=True); import os; os._exit(0)"
    child = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    pid = int(child.stdout.split()[0])
    for _ in range(100):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        import time

        time.sleep(0.05)
    pytest.fail(f"postgres {pid} outlived the process that started it")


def test_a_server_started_from_a_short_lived_thread_outlives_it() -> None:
    """Grading threads come and go; the server must stay up while the process runs."""

    script = (
        "import threading, time\n"
        "from harness.sandbox.postgres import shared_server\n"
        "box = []\n"
        "t = threading.Thread(target=lambda: box.append(shared_server())); t.start(); t.join()\n"
        "time.sleep(0.5)\n"
        "print(box[0].process.poll() is None, box[0]._psql('postgres', 'SELECT 1').stdout.strip())\n"
    )
    child = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert child.stdout.split() == ["True", "1"], child.stderr


def test_directories_of_killed_servers_are_swept(tmp_path: Path) -> None:
    from harness.sandbox.postgres import OWNER_FILE, sweep_stale

    names = ("dead", "alive", "fresh", "initdb", "old-dead-server")
    dead, alive, fresh, initdb, old = (tmp_path / f"harness-postgres-{n}" for n in names)
    for root in (dead, alive, initdb, old):
        (root / "data").mkdir(parents=True)
    fresh.mkdir()
    (dead / OWNER_FILE).write_text("999999999\n")
    (alive / OWNER_FILE).write_text(f"{os.getpid()}\n")
    # a live harness whose initdb's bootstrap backend left a pid file behind for a moment
    (initdb / OWNER_FILE).write_text(f"{os.getpid()}\n")
    (initdb / "data" / "postmaster.pid").write_text("999999999\n")
    (old / "data" / "postmaster.pid").write_text("999999999\n")  # from before owner files
    sweep_stale(tmp_path)
    assert not dead.exists() and not old.exists()
    assert alive.exists() and fresh.exists() and initdb.exists()
