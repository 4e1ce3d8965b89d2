"""Contract keys for simultaneous requests (`concurrent`, `status_counts`), absent headers
(`headers: {X: null}`) and keys (`json_absent`), captures from emails (`capture_email`),
ranges in `db` checks (`between`) and the year markers (`@year`, `@strftime:`), on SQLite
and on the private PostgreSQL of `--db postgres`."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from harness.sandbox.postgres import find_bin_dir, shared_server
from harness.tasks.spec import Contract, Step
from harness.tasks.suite import PROBE_ID, render_suite, run_suite
from tests.conftest import render_starter, write_tree

DEMO_ROUTES = """
from fastapi import APIRouter, Depends, HTTPException
from sqlalchemy import update
from sqlalchemy.orm import Session

from app.api.deps import get_db
from app.core.clock import utcnow
from app.models.product import Product

router = APIRouter()


@router.post("/take/{product_id}/safe")
def take_safe(product_id: int, db: Session = Depends(get_db)) -> dict:
    taken = db.execute(
        update(Product).where(Product.id == product_id, Product.stock >= 1)
        .values(stock=Product.stock - 1).execution_options(synchronize_session=False)
    )
    if taken.rowcount != 1:
        raise HTTPException(409, "sold out")
    db.commit()
    return {"ok": True}


@router.post("/take/{product_id}/racy")
def take_racy(product_id: int, db: Session = Depends(get_db)) -> dict:
    product = db.get(Product, product_id)
    if product.stock < 1:
        raise HTTPException(409, "sold out")
    product.stock -= 1
    db.commit()
    return {"ok": True}


@router.post("/mail")
async def mail() -> dict:
    from app.integrations.email import get_email_sender

    await get_email_sender().send("a@example.com", "Verify", "Hello.\\ntoken: abc123\\n")
    return {"id": 1, "email": "a@example.com"}


@router.get("/echo/{token}")
def echo(token: str) -> dict:
    return {"token": token, "hashed_password": "x"}


@router.get("/year")
def year() -> dict:
    return {"year": utcnow().year, "number": utcnow().strftime("INV-%Y-0001")}
"""

ROUTES_INIT = """
from fastapi import APIRouter

from app.api.routes import demo, health

api_router = APIRouter()
api_router.include_router(health.router)
api_router.include_router(demo.router)
"""


def burst(path: str, counts: dict[int, int]) -> dict:  # type: ignore[type-arg]
    return {
        "request": {"method": "POST", "path": path},
        "concurrent": 12,
        "expect": {"status": [200, 409], "status_counts": counts},
    }


STOCK = {
    "stock": [
        {
            "model": "Product",
            "values": {"id": 1, "sku": "A", "name": "A", "price": "@decimal:1.00", "stock": 3},
        }
    ]
}
CONTRACT = {
    "fixtures": STOCK,
    "cases": [
        {
            "id": "safe-under-a-burst",
            "fixtures": ["stock"],
            "steps": [burst("/take/1/safe", {200: 3, 409: 9})],
            "db": [{"model": "Product", "where": {"id": 1}, "values": {"stock": 0}}],
        },
        {
            "id": "racy-under-bursts",
            "fixtures": ["stock"],
            "steps": [burst("/take/1/racy", {200: 3, 409: 9})] * 3,
        },
        {
            "id": "header-absent",
            "steps": [
                {
                    "request": {"method": "GET", "path": "/health"},
                    "expect": {"status": 200, "headers": {"x-nothing": None}},
                }
            ],
        },
        {
            "id": "header-wrongly-said-absent",
            "steps": [
                {
                    "request": {"method": "GET", "path": "/health"},
                    "expect": {"status": 200, "headers": {"content-type": None}},
                }
            ],
        },
        {
            "id": "email-capture-feeds-the-next-step",
            "steps": [
                {
                    "request": {"method": "POST", "path": "/mail"},
                    "expect": {"status": 200, "json_absent": ["hashed_password"]},
                    "capture_email": {"token": {"to": "a@example.com", "pattern": "token: (\\S+)"}},
                },
                {
                    "request": {"method": "GET", "path": "/echo/{token}"},
                    "expect": {"status": 200, "json": {"token": "abc123"}},
                },
            ],
        },
        {
            "id": "email-capture-without-a-match",
            "steps": [
                {
                    "request": {"method": "POST", "path": "/mail"},
                    "expect": {"status": 200},
                    "capture_email": {"token": {"to": "b@example.com", "pattern": "token: (\\S+)"}},
                },
            ],
        },
        {
            "id": "a-key-that-must-be-absent",
            "steps": [
                {
                    "request": {"method": "GET", "path": "/echo/x"},
                    "expect": {"status": 200, "json_absent": ["hashed_password"]},
                }
            ],
        },
        {
            "id": "stock-in-range",
            "fixtures": ["stock"],
            "steps": [{"request": {"method": "GET", "path": "/health"}, "expect": {"status": 200}}],
            "db": [
                {"model": "Product", "where": {"id": 1}, "values": {"stock": {"between": [2, 4]}}}
            ],
        },
        {
            "id": "stock-out-of-range",
            "fixtures": ["stock"],
            "steps": [{"request": {"method": "GET", "path": "/health"}, "expect": {"status": 200}}],
            "db": [
                {"model": "Product", "where": {"id": 1}, "values": {"stock": {"between": [4, 9]}}}
            ],
        },
        {
            "id": "this-year",
            "steps": [
                {
                    "request": {"method": "GET", "path": "/year"},
                    "expect": {
                        "status": 200,
                        "json": {"year": "@year", "number": "@strftime:INV-%Y-0001"},
                    },
                }
            ],
        },
        {
            "id": "last-year-is-not-this-year",
            "steps": [
                {
                    "request": {"method": "GET", "path": "/year"},
                    "expect": {"status": 200, "json": {"year": "@year-1"}},
                }
            ],
        },
    ],
}

EXPECTED = {
    "safe-under-a-burst": "passed",
    "racy-under-bursts": "failed",
    "header-absent": "passed",
    "header-wrongly-said-absent": "failed",
    "this-year": "passed",
    "last-year-is-not-this-year": "failed",
    "email-capture-feeds-the-next-step": "passed",
    "email-capture-without-a-match": "failed",
    "a-key-that-must-be-absent": "failed",
    "stock-in-range": "passed",
    "stock-out-of-range": "failed",
}


@pytest.mark.parametrize(
    ("step", "message"),
    [
        ({"concurrent": 2, "repeat": 2}, "cannot also `repeat`"),
        (
            {"concurrent": 1, "expect": {"status": 200, "status_counts": {200: 1}}},
            "needs `concurrent`",
        ),
        ({"concurrent": 3, "expect": {"status": 200, "status_counts": {200: 2}}}, "add up to 2"),
        ({"concurrent": 99}, "less than or equal to 32"),
        ({"capture_email": {"t": {"to": "a@x", "pattern": "no group"}}}, "exactly one group"),
        ({"capture_email": {"t": {"to": "a@x", "pattern": "(unclosed"}}}, "missing \\)"),
    ],
)
def test_malformed_concurrent_steps_are_refused(step, message) -> None:  # type: ignore[no-untyped-def]
    base = {"request": {"method": "GET", "path": "/"}, "expect": {"status": 200}}
    with pytest.raises(ValidationError, match=message):
        Step.model_validate(base | step)


def test_a_burst_renders_as_one_concurrent_call() -> None:
    source = render_suite("demo", Contract.model_validate(CONTRACT))["test_contract.py"]
    compile(source, "demo", "exec")
    assert "responses = harness.concurrently(12, 'POST', '/take/1/safe'" in source
    assert "support.check_concurrent(responses, [200, 409], {200: 3, 409: 9})" in source


def _workspace(tmp_path: Path) -> Path:
    workspace = tmp_path / "ws"
    render_starter(workspace)
    write_tree(
        workspace,
        {"app/api/routes/demo.py": DEMO_ROUTES, "app/api/routes/__init__.py": ROUTES_INIT},
    )
    return workspace


@pytest.mark.slow
def test_bursts_markers_and_absent_headers_on_sqlite(tmp_path: Path) -> None:
    run = run_suite("demo", Contract.model_validate(CONTRACT), _workspace(tmp_path))
    assert run.error is None, run.error
    assert {c.id: c.outcome for c in run.cases} == EXPECTED, run.output
    assert {e.case: e.outcome for e in run.evidence} == {PROBE_ID: "imports-cleanly"}
    messages = {c.id: c.message for c in run.cases}
    assert (
        "12 simultaneous requests: expected statuses {200: 3, 409: 9}"
        in messages["racy-under-bursts"]
    )


@pytest.mark.slow
@pytest.mark.skipif(
    find_bin_dir() is None, reason="PostgreSQL is not installed (apt-get install postgresql)"
)
def test_the_same_contract_on_postgres(tmp_path: Path) -> None:
    server = shared_server()
    database = server.create_database()
    try:
        run = run_suite(
            "demo", Contract.model_validate(CONTRACT), _workspace(tmp_path), database=database
        )
    finally:
        server.drop_database(database)
    assert run.error is None, run.error
    assert {c.id: c.outcome for c in run.cases} == EXPECTED, run.output
