"""Contract keys for the integration fakes (`integrations`, `emails`, `charges`), service
constructor arguments (`init_args`) and step captures (`capture`, `{name}`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from harness.tasks.spec import Case, Contract
from harness.tasks.suite import PROBE_ID, render_suite, run_suite
from tests.conftest import render_starter, write_tree

PAY = {"method": "POST", "path": "/pay?key=k1"}


def case(**fields):  # type: ignore[no-untyped-def]
    return Case.model_validate(
        {"id": "c", "steps": [{"request": PAY, "expect": {"status": 200}}]} | fields
    )


def test_a_placeholder_must_follow_the_step_that_captures_it() -> None:
    steps = [
        {"request": {"method": "GET", "path": "/orders/{order}"}, "expect": {"status": 200}},
        {"request": PAY, "expect": {"status": 200}, "capture": {"order": "$.id"}},
    ]
    with pytest.raises(ValidationError, match=r"step 1 uses \{order\} before"):
        case(steps=steps)
    same_step = [
        {
            "request": {"method": "GET", "path": "/o/{order}"},
            "expect": {"status": 200},
            "capture": {"order": "$.id"},
        }
    ]
    with pytest.raises(ValidationError, match="before a previous step captures it"):
        case(steps=same_step)
    # braces that name nothing captured are plain text
    assert case(
        steps=[
            {
                "request": {"method": "POST", "path": "/x", "json": {"t": "{literal}"}},
                "expect": {"status": 200},
            }
        ]
    )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"steps": [{"request": PAY, "expect": {"status": 200}, "capture": {"order": "id"}}]},
            "not a path",
        ),
        (
            {"steps": [{"request": PAY, "expect": {"status": 200}, "capture": {"1x": "$.id"}}]},
            "not an identifier",
        ),
        ({"emails_count": -1}, "greater than or equal to 0"),
        ({"emails": [{"to": "a@example.com", "subject": "Hi"}]}, "Extra inputs"),
        ({"charges": [{"amount": "@decimal:1.00", "count": -2}]}, "greater than or equal to 0"),
        ({"integrations": {"email_fail": True, "sms_fail": True}}, "Extra inputs"),
        (
            {
                "steps": [],
                "call": {"target": "m:f", "init_args": ["@payment_gateway"]},
                "expect_result": {"result": "success"},
            },
            "needs `method`",
        ),
        (
            {
                "steps": [],
                "call": {"target": "m:f"},
                "expect_result": {"result": "failure"},
                "db": [{"model": "Order", "count": 0}],
            },
            "rule evidence only",
        ),
    ],
)
def test_malformed_new_keys_are_refused(fields, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match=message):
        case(**fields)


DEMO_ROUTES = """
from decimal import Decimal

from fastapi import APIRouter, Body, Depends, Header, HTTPException

from app.api.deps import get_email_sender, get_payment_gateway
from app.integrations.email import EmailDeliveryError
from app.integrations.payments import GatewayError

router = APIRouter()


@router.post("/pay")
async def pay(key: str, as_float: bool = False, gateway=Depends(get_payment_gateway), sender=Depends(get_email_sender)):
    amount = Decimal("12.50")
    try:
        charge = await gateway.charge(float(amount) if as_float else amount, "EUR", key)
    except GatewayError:
        raise HTTPException(502, "payment_gateway_error") from None
    try:
        await sender.send("a@example.com", "Receipt 12.50", f"charged {charge.reference}")
        emailed = True
    except EmailDeliveryError:
        emailed = False
    return {"id": 7, "emailed": emailed, "items": [{"token": "abc"}]}


@router.post("/echo/{item_id}")
async def echo(item_id: int, body: dict = Body(...), x_token: str = Header("")):
    return {"path_id": item_id, "body": body, "header": x_token}
"""

DEMO_SERVICE = """
from decimal import Decimal

from app.core.result import success


class Demo:
    def __init__(self, db, gateway):
        self.db = db
        self.gateway = gateway

    async def charge(self, key):
        return success((await self.gateway.charge(Decimal("3.00"), "EUR", key)).reference)
"""

ROUTES_INIT = """
from fastapi import APIRouter

from app.api.routes import demo, health

api_router = APIRouter()
api_router.include_router(health.router)
api_router.include_router(demo.router)
"""

PAID = {"request": PAY, "expect": {"status": 200, "json": {"emailed": True}}}
RECEIPT = {
    "to": "a@example.com",
    "subject_contains": "Receipt",
    "body_contains": "ch_1",
    "count": 1,
}
CHARGE = {"amount": "@decimal:12.50", "currency": "EUR", "idempotency_key": "k1", "count": 1}

CONTRACT = {
    "cases": [
        {
            "id": "pays-and-emails",
            "steps": [PAID],
            "emails": [RECEIPT],
            "emails_count": 1,
            "charges": [CHARGE],
            "charges_count": 1,
        },
        {"id": "expects-no-email", "steps": [PAID], "emails_count": 0},
        {
            "id": "wrong-email-text",
            "steps": [PAID],
            "emails": [{"to": "a@example.com", "subject_contains": "Invoice"}],
        },
        {
            "id": "email-to-someone-else",
            "steps": [PAID],
            "emails": [RECEIPT | {"to": "b@example.com"}],
        },
        {"id": "charged-twice-expected", "steps": [PAID], "charges_count": 2},
        {
            "id": "float-amount-is-not-money",
            "steps": [
                {
                    "request": {"method": "POST", "path": "/pay?key=k1&as_float=true"},
                    "expect": {"status": 200},
                }
            ],
            "charges": [{"amount": "@decimal:12.50"}],
        },
        {
            "id": "gateway-fails-for-the-case",
            "integrations": {"gateway_fail": True},
            "steps": [{"request": PAY, "expect": {"status": 502}}],
            "charges_count": 0,
            "emails_count": 0,
        },
        {"id": "fakes-are-reset-between-cases", "steps": [PAID], "charges_count": 1},
        {
            "id": "fakes-switched-per-step",
            "integrations": {"gateway_fail": True},
            "steps": [
                {"request": PAY, "expect": {"status": 502}},
                {
                    "integrations": {"gateway_fail": False, "email_fail": True},
                    "request": PAY,
                    "expect": {"status": 200, "json": {"emailed": False}},
                },
            ],
            "charges": [CHARGE],
            "emails_count": 0,
        },
        {
            "id": "capture-fills-later-steps",
            "steps": [
                PAID | {"capture": {"order": "$.id", "token": "$.items[0].token"}},
                {
                    "request": {
                        "method": "POST",
                        "path": "/echo/{order}",
                        "json": {"id": "{order}", "note": "t-{token}"},
                        "headers": {"X-Token": "{token}"},
                    },
                    "expect": {
                        "status": 200,
                        "json": {"path_id": 7, "body": {"id": 7, "note": "t-abc"}, "header": "abc"},
                    },
                },
            ],
        },
        {
            "id": "capture-of-a-missing-path-fails",
            "steps": [
                PAID | {"capture": {"x": "$.items[3].token"}},
                {
                    "request": {"method": "POST", "path": "/echo/{x}", "json": {}},
                    "expect": {"status": 200},
                },
            ],
        },
        {
            "id": "captured-value-compared",
            "steps": [
                PAID | {"capture": {"order": "$.id"}},
                {
                    "request": {"method": "POST", "path": "/echo/8", "json": {}},
                    "expect": {"status": 200, "json": {"path_id": "{order}"}},
                },
            ],
        },
        {
            "id": "service-gets-the-gateway",
            "call": {
                "target": "app.services.demo:Demo",
                "init_args": ["@payment_gateway"],
                "method": "charge",
                "kwargs": {"key": "s1"},
                "is_async": True,
            },
            "expect_result": {"result": "success"},
        },
    ]
}

EXPECTED = {
    "pays-and-emails": "passed",
    "expects-no-email": "failed",
    "wrong-email-text": "failed",
    "email-to-someone-else": "failed",
    "charged-twice-expected": "failed",
    "float-amount-is-not-money": "failed",
    "gateway-fails-for-the-case": "passed",
    "fakes-are-reset-between-cases": "passed",
    "fakes-switched-per-step": "passed",
    "capture-fills-later-steps": "passed",
    "capture-of-a-missing-path-fails": "failed",
    "captured-value-compared": "failed",
}


def test_the_new_keys_render_to_a_suite_that_compiles() -> None:
    files = render_suite("demo", Contract.model_validate(CONTRACT))
    source = files["test_contract.py"]
    compile(source, "demo", "exec")
    assert "harness.integrations(email_fail=True, gateway_fail=False)" in source
    assert (
        "support.capture(response, {'order': '$.id', 'token': '$.items[0].token'}, captured)"
        in source
    )
    assert "init_args=['@payment_gateway']" in source
    assert "support.check_emails([], total=0)" in source


@pytest.mark.slow
def test_integration_checks_pass_and_fail_against_a_real_workspace(tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    render_starter(workspace)
    write_tree(
        workspace,
        {
            "app/api/routes/demo.py": DEMO_ROUTES,
            "app/api/routes/__init__.py": ROUTES_INIT,
            "app/services/demo.py": DEMO_SERVICE,
        },
    )
    run = run_suite("demo", Contract.model_validate(CONTRACT), workspace)
    assert run.error is None, run.error
    outcomes = {c.id: c.outcome for c in run.cases}
    assert outcomes == EXPECTED, run.output
    # the service got the process-wide gateway and charged through it: a success value
    assert {e.case: e.outcome for e in run.evidence} == {
        "service-gets-the-gateway": "success-value",
        PROBE_ID: "imports-cleanly",
    }
    messages = {c.id: c.message for c in run.cases}
    assert "expected 0 email(s) sent in all, found 1" in messages["expects-no-email"]
    assert "Receipt 12.50" in messages["wrong-email-text"]  # the failure lists what was sent
    assert "amount=12.5 " in messages["float-amount-is-not-money"]
    assert "$.items[3].token not in the response" in messages["capture-of-a-missing-path-fails"]
