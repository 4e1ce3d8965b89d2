"""The task format: `task.yaml` (what the agent is asked) and `contract.yaml` (what is tested).

A contract is declarative: named fixtures (ORM rows to seed), and cases that send HTTP
requests or call a service entry point the statement names, with the expected status,
JSON subset, headers and database state. Tests speak only to what the statement promises.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

FROZEN = ConfigDict(extra="forbid", frozen=True)
CAPTURE_NAME = r"^[A-Za-z_]\w*$"
JSON_PATH = r"^\$(\.[^.\[\]\s]+|\[\d+\])*$"
PLACEHOLDER = re.compile(r"\{([A-Za-z_]\w*)\}")
# Value markers as the generated suite resolves them (`resolve` in templates/_shared.py);
# a value that starts like one but does not parse would silently be a literal there.
MARKER_FORMS = (
    (re.compile(r"^@now[+-]"), re.compile(r"^@now[+-]\d+[smhd]$"), "@now+N or @now-N with s, m, h or d"),
    (re.compile(r"^@year[+-]"), re.compile(r"^@year[+-]\d+$"), "@year+N or @year-N"),
    (re.compile(r"^@strftime"), re.compile(r"^@strftime(?:[+-]\d+[smhdy])?:."), "@strftime:FORMAT or @strftime-Ny:FORMAT (s, m, h, d or y)"),
)  # fmt: skip
DECIMAL_MARKER = "@decimal:"
# A generated test's time limit per request to the app (an HTTP request, a concurrent step,
# a service call, a reset): the slowest of every solution's (the first reset, which imports
# the app) took about 1.5 s on a loaded 2-core machine, so 20 s leaves a wide margin.
CASE_SECONDS = 20.0


class TaskLimits(BaseModel):
    """Per-sample limits: model turns, wall time for the agent, for the test suite, and
    for each request a test sends the app (a hung one fails its case, not the suite)."""

    model_config = FROZEN

    turns: int = Field(50, ge=1)
    wall_seconds: float = Field(1200, gt=0)
    test_seconds: float = Field(180, gt=0)
    command_seconds: float = Field(120, gt=0)
    case_seconds: float = Field(CASE_SECONDS, gt=0)


class TaskSpec(BaseModel):
    """`task.yaml`."""

    model_config = FROZEN

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str
    category: str
    statement: str
    exercises: str = ""
    tempts: dict[str, str | dict[str, str]] = Field(
        default_factory=dict,
        description="rule code -> how the task tempts a model to break it (one line), or "
        "{starter: how} where it tempts on some starters only; a plain list of codes is read "
        "as codes tempted everywhere, without a line",
    )
    starters: list[str] = Field(
        default_factory=list, description="starters the task runs on; empty: all of them"
    )
    must_end_clean: list[str] = Field(
        default_factory=list,
        description="paths (globs) a refactoring must leave with no finding, pre-existing or not",
    )
    limits: TaskLimits = Field(default_factory=TaskLimits)

    @field_validator("tempts", mode="before")
    @classmethod
    def _codes_alone(cls, value: Any) -> Any:
        return dict.fromkeys(value, "") if isinstance(value, list) else value

    def tempted_on(self, starter: str) -> dict[str, str]:
        """Rule code -> how, for the rules this task tempts on `starter`."""
        found = {}
        for code, how in self.tempts.items():
            if isinstance(how, dict):
                if starter in how:
                    found[code] = how[starter]
            else:
                found[code] = how
        return found


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
    headers: dict[str, str | None] = Field(
        default_factory=dict, description="exact values; null: the header must be absent"
    )
    header_present: list[str] = Field(default_factory=list)
    json_absent: list[str] = Field(
        default_factory=list,
        description="keys that must not appear in the JSON object (or in any object of a list)",
    )
    status_counts: dict[int, int] = Field(
        default_factory=dict,
        description="with `concurrent`: how many of the simultaneous responses have each status",
    )


class Integrations(BaseModel):
    """Set `.fail` on the process-wide fakes of app/integrations (reset, so off, before every
    case); a key left out keeps the current setting."""

    model_config = FROZEN

    email_fail: bool | None = None
    gateway_fail: bool | None = None


class EmailCapture(BaseModel):
    model_config = FROZEN

    to: str
    pattern: str = Field(description="a regular expression with one group, searched in the body")

    @model_validator(mode="after")
    def _one_group(self) -> EmailCapture:
        try:
            groups = re.compile(self.pattern).groups
        except re.error as exc:
            raise ValueError(f"capture_email pattern {self.pattern!r}: {exc}") from exc
        if groups != 1:
            raise ValueError(f"capture_email pattern {self.pattern!r} needs exactly one group")
        return self


class Step(BaseModel):
    model_config = FROZEN

    integrations: Integrations | None = Field(None, description="set before this step's requests")
    request: Request
    expect: Expect
    repeat: int = Field(1, ge=1, le=100)
    concurrent: int = Field(
        1, ge=1, le=32, description="send this many copies of the request at the same moment"
    )
    capture: dict[str, str] = Field(
        default_factory=dict,
        description="name -> JSON path ($.a.b[0]) of the response; later steps use {name}",
    )
    capture_email: dict[str, EmailCapture] = Field(
        default_factory=dict,
        description="name -> group 1 of `pattern` in the newest email to `to` after the step",
    )

    @model_validator(mode="after")
    def _concurrency(self) -> Step:
        if self.concurrent > 1 and (self.repeat > 1 or self.capture or self.capture_email):
            raise ValueError("a `concurrent` step cannot also `repeat` or `capture`")
        if self.expect.status_counts:
            if self.concurrent == 1:
                raise ValueError("`status_counts` needs `concurrent` of 2 or more")
            if sum(self.expect.status_counts.values()) != self.concurrent:
                raise ValueError(
                    f"`status_counts` add up to {sum(self.expect.status_counts.values())}, "
                    f"not to the {self.concurrent} concurrent requests"
                )
        return self

    @model_validator(mode="after")
    def _capture_syntax(self) -> Step:
        for name, path in self.capture.items():
            if not re.match(CAPTURE_NAME, name):
                raise ValueError(f"capture name {name!r} is not an identifier")
            if not re.match(JSON_PATH, path):
                raise ValueError(
                    f"capture {name!r}: {path!r} is not a path like $.id or $.items[0].id"
                )
        return self


class DbCheck(BaseModel):
    """After the steps: rows of `model` matching `where` number `count` and/or have `values`
    (each equal, or `{between: [low, high]}` inclusive, e.g. for times: `["@now+23h", "@now+25h"]`)."""

    model_config = FROZEN

    model: str
    where: dict[str, Any] = Field(default_factory=dict)
    count: int | None = None
    values: dict[str, Any] = Field(default_factory=dict)


class ServiceCall(BaseModel):
    """`module:attr` of a function, or of a class built with the session (then `init_args`)
    then `method`. Arguments may be "@db", "@email_sender", "@payment_gateway"."""

    model_config = FROZEN

    target: str = Field(pattern=r"^[A-Za-z_][\w.]*:[A-Za-z_]\w*$")
    method: str | None = None
    init_args: list[Any] = Field(
        default_factory=list, description="constructor arguments after the session"
    )
    args: list[Any] = Field(default_factory=list)
    kwargs: dict[str, Any] = Field(default_factory=dict)
    is_async: bool = False

    @model_validator(mode="after")
    def _init_needs_method(self) -> ServiceCall:
        if self.init_args and self.method is None:
            raise ValueError("`init_args` builds a class: it needs `method`")
        return self


class ServiceExpect(BaseModel):
    """Whether the call is a business success or a business failure. The statement names no
    return type or error class, so this is what the evidence is judged by: a failure that
    comes back as a value complies, a raised one counts against a rule."""

    model_config = FROZEN

    result: Literal["success", "failure"]


class EmailCheck(BaseModel):
    """Sent emails (the fake sender's `.sent`) to `to` whose subject and body contain the
    given texts (case-sensitive): `count` exactly, or at least one when `count` is omitted."""

    model_config = FROZEN

    to: str
    subject_contains: str | None = None
    body_contains: str | None = None
    count: int | None = Field(None, ge=0)


class ChargeCheck(BaseModel):
    """Charges the fake gateway made (`.charges`) matching every given field: `count`
    exactly, or at least one. `amount` ("@decimal:49.90") must be a Decimal equal to it."""

    model_config = FROZEN

    amount: Any = None
    currency: str | None = None
    idempotency_key: str | None = None
    count: int | None = Field(None, ge=0)


def _placeholders(value: Any) -> set[str]:
    if isinstance(value, str):
        return set(PLACEHOLDER.findall(value))
    if isinstance(value, dict):
        return set().union(*(_placeholders(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(_placeholders(v) for v in value))
    return set()


class Case(BaseModel):
    model_config = FROZEN

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    description: str = ""
    fixtures: list[str] = Field(default_factory=list)
    integrations: Integrations | None = Field(None, description="set before the steps or call")
    steps: list[Step] = Field(default_factory=list)
    call: ServiceCall | None = None
    expect_result: ServiceExpect | None = None
    db: list[DbCheck] = Field(default_factory=list)
    emails: list[EmailCheck] = Field(default_factory=list)
    emails_count: int | None = Field(None, ge=0, description="emails sent in all; 0: none")
    charges: list[ChargeCheck] = Field(default_factory=list)
    charges_count: int | None = Field(None, ge=0, description="charges made in all; 0: none")

    @model_validator(mode="after")
    def _one_kind(self) -> Case:
        if bool(self.steps) == bool(self.call):
            raise ValueError(
                "a case has either `steps` (HTTP) or `call` (service), not both or neither"
            )
        if self.call is not None and self.expect_result is None:
            raise ValueError("a service case needs `expect_result`")
        checks = self.db or self.emails or self.charges
        if self.call is not None and (
            checks or self.emails_count is not None or self.charges_count is not None
        ):
            raise ValueError(
                "a service case is rule evidence only: behaviour (db, emails, charges) is "
                "checked by HTTP cases"
            )
        return self

    @model_validator(mode="after")
    def _captured_before_use(self) -> Case:
        """A `{name}` of a name this case captures must come after the capturing step."""
        captured_anywhere = {
            name for step in self.steps for name in [*step.capture, *step.capture_email]
        }
        seen: set[str] = set()
        for index, step in enumerate(self.steps, start=1):
            used = _placeholders(
                step.model_dump(by_alias=True, exclude={"capture", "capture_email"})
            )
            early = sorted((used & captured_anywhere) - seen)
            if early:
                raise ValueError(
                    f"step {index} uses {', '.join('{' + n + '}' for n in early)} "
                    "before a previous step captures it"
                )
            seen |= set(step.capture) | set(step.capture_email)
        return self

    @property
    def captures(self) -> bool:
        return any(step.capture or step.capture_email for step in self.steps)


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
        for value in _strings(self.model_dump(by_alias=True)):
            problem = marker_problem(value)
            if problem:
                raise ValueError(f"value {value!r} is not a valid marker; write {problem}")
        return self


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    if isinstance(value, (list, tuple)):
        return [s for item in value for s in _strings(item)]
    return []


def marker_problem(value: str) -> str | None:
    """How to write a value that starts like a marker but would not parse; None if fine."""
    if value.startswith(DECIMAL_MARKER):
        try:
            Decimal(value[len(DECIMAL_MARKER) :])
        except InvalidOperation:
            return "@decimal:NUMBER, such as @decimal:12.50"
        return None
    for starts, full, form in MARKER_FORMS:
        if starts.match(value) and not full.match(value):
            return form
    return None
