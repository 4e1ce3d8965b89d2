"""The task format: `task.yaml` (what the agent is asked) and `contract.yaml` (what is tested).

A contract is declarative: named fixtures (ORM rows to seed), and cases that send HTTP
requests or call a service entry point the statement names, with the expected status,
JSON subset, headers and database state. Tests speak only to what the statement promises.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

FROZEN = ConfigDict(extra="forbid", frozen=True)


class TaskLimits(BaseModel):
    """Per-sample limits: model turns, wall time for the agent, and for the test suite."""

    model_config = FROZEN

    turns: int = Field(50, ge=1)
    wall_seconds: float = Field(1200, gt=0)
    test_seconds: float = Field(180, gt=0)
    command_seconds: float = Field(120, gt=0)


class TaskSpec(BaseModel):
    """`task.yaml`."""

    model_config = FROZEN

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str
    category: str
    statement: str
    exercises: str = ""
    tempts: list[str] = Field(
        default_factory=list, description="rule codes the task tempts a model to break"
    )
    overlay: str | None = Field(
        None, description="folder in the task overlaid on the base workspace"
    )
    limits: TaskLimits = Field(default_factory=TaskLimits)


class Row(BaseModel):
    """One ORM row to seed: a model class of `app.models` and its column values."""

    model_config = FROZEN

    model: str
    values: dict[str, Any]


class Signature(BaseModel):
    """Sign the exact request body: hex HMAC-SHA256 with `secret` in `header`."""

    model_config = FROZEN

    header: str = "X-Signature"
    secret: str
    valid: bool = True


class Request(BaseModel):
    model_config = FROZEN

    method: Literal["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"]
    path: str
    json_body: Any = Field(None, alias="json")
    headers: dict[str, str] = Field(default_factory=dict)
    auth: str | None = Field(None, description="raw bearer token sent as Authorization")
    sign: Signature | None = None


class Expect(BaseModel):
    model_config = FROZEN

    status: int | list[int]
    json_subset: Any = Field(None, alias="json")
    json_keys: list[str] = Field(default_factory=list)
    headers: dict[str, str] = Field(default_factory=dict)
    header_present: list[str] = Field(default_factory=list)


class Step(BaseModel):
    model_config = FROZEN

    request: Request
    expect: Expect
    repeat: int = Field(1, ge=1, le=100)


class DbCheck(BaseModel):
    """After the steps: rows of `model` matching `where` number `count` and/or have `values`."""

    model_config = FROZEN

    model: str
    where: dict[str, Any] = Field(default_factory=dict)
    count: int | None = None
    values: dict[str, Any] = Field(default_factory=dict)


class ServiceCall(BaseModel):
    """`module:attr` of a function, or of a class built with the session then `method`."""

    model_config = FROZEN

    target: str = Field(pattern=r"^[A-Za-z_][\w.]*:[A-Za-z_]\w*$")
    method: str | None = None
    args: list[Any] = Field(default_factory=list)
    kwargs: dict[str, Any] = Field(default_factory=dict)
    is_async: bool = False


class ServiceExpect(BaseModel):
    model_config = FROZEN

    result: Literal["success", "failure"]
    error: str | None = Field(None, description="class name of the Failure's error")


class Case(BaseModel):
    model_config = FROZEN

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    description: str = ""
    fixtures: list[str] = Field(default_factory=list)
    steps: list[Step] = Field(default_factory=list)
    call: ServiceCall | None = None
    expect_result: ServiceExpect | None = None
    db: list[DbCheck] = Field(default_factory=list)

    @model_validator(mode="after")
    def _one_kind(self) -> Case:
        if bool(self.steps) == bool(self.call):
            raise ValueError(
                "a case has either `steps` (HTTP) or `call` (service), not both or neither"
            )
        if self.call is not None and self.expect_result is None:
            raise ValueError("a service case needs `expect_result`")
        return self


class Contract(BaseModel):
    """`contract.yaml`."""

    model_config = FROZEN

    fixtures: dict[str, list[Row]] = Field(default_factory=dict)
    cases: list[Case]

    @model_validator(mode="after")
    def _references(self) -> Contract:
        ids = [case.id for case in self.cases]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"duplicate case ids: {', '.join(duplicates)}")
        for case in self.cases:
            missing = [f for f in case.fixtures if f not in self.fixtures]
            if missing:
                raise ValueError(f"case {case.id!r} uses undefined fixtures: {', '.join(missing)}")
        return self


class FlawExpectation(BaseModel):
    """`solutions/<flaw>/expect.yaml`: what a flawed solution must trip, exactly."""

    model_config = FROZEN

    description: str = ""
    rules: list[str] = Field(default_factory=list)
    failing_cases: list[str] = Field(default_factory=list)
