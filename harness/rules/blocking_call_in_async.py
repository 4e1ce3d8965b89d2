"""ARCH601: a blocking call inside `async def`."""

from __future__ import annotations

import libcst as cst

from harness.rules.finding import Severity
from harness.rules.rule import Invalid, Rule, Scope, Valid

BLOCKING_CALLS = {
    "time.sleep": "await asyncio.sleep(...)",
    "urllib.request.urlopen": "an async HTTP client (httpx.AsyncClient)",
    "subprocess.run": "asyncio.create_subprocess_exec",
    "subprocess.call": "asyncio.create_subprocess_exec",
    "subprocess.check_output": "asyncio.create_subprocess_exec",
    "builtins.open": "aiofiles or asyncio.to_thread",
}
BLOCKING_PREFIXES = {
    "smtplib.SMTP": "an async SMTP client (aiosmtplib) or asyncio.to_thread",
}
# The requests calls that do I/O; `requests.Request(...)` or `requests.Session()` only
# build objects (a request to sign, a session to configure).
REQUESTS_IO = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "request"})


def blocking_alternative(qualified: str) -> str | None:
    """What to use instead, if `qualified` names a blocking call; None otherwise."""
    if qualified in BLOCKING_CALLS:
        return BLOCKING_CALLS[qualified]
    if qualified.startswith("requests.") and qualified.rsplit(".", 1)[-1] in REQUESTS_IO:
        return "an async HTTP client (httpx.AsyncClient)"
    for prefix, alternative in BLOCKING_PREFIXES.items():
        if qualified.startswith(prefix):
            return alternative
    return None


class BlockingCallInAsync(Rule):
    """## What it does
    Reports, inside an `async def` (not in a nested `def` or `lambda`), calls of
    `time.sleep`, the I/O functions of `requests` (`get`, `post`, ..., `request`; not
    `requests.Request(...)`, which only builds an object to send later),
    `urllib.request.urlopen`, `smtplib.SMTP*`, `subprocess.run/call/check_output` and the
    builtin `open`, resolved through aliases (`from time import sleep as pause`).

    ## Why is this bad?
    A blocking call in a coroutine stops the whole event loop: every other request served
    by the worker waits for it. The prompt asks for async-first I/O.

    ## Example
    ```python
    async def send_receipt(order):
        time.sleep(1)
        requests.post(WEBHOOK_URL, json=order)
    ```

    Use instead: `await asyncio.sleep(1)`, `httpx.AsyncClient`, or `asyncio.to_thread(...)`.
    """

    CODE, SLUG, SEVERITY = "ARCH601", "blocking-call-in-async", Severity.ERROR
    MESSAGE = "Blocking call inside async def"
    SCOPE = Scope.ANY
    VALID = [
        Valid("import asyncio\n\nasync def f():\n    await asyncio.sleep(1)\n"),
        Valid("import time\n\ndef f():\n    time.sleep(1)\n"),
        Valid(
            "import asyncio, time\n\nasync def f(loop):\n    await asyncio.to_thread(time.sleep, 1)\n"
            "    await loop.run_in_executor(None, lambda: time.sleep(1))\n"
        ),
        Valid(
            "from aiofiles import open\n\nasync def f():\n    async with open('x') as fh:\n        pass\n"
        ),
        Valid(
            "import time\n\nasync def f():\n    def sync_part():\n        time.sleep(1)\n    return sync_part\n"
        ),
        Valid(
            "import requests\n\nasync def sign(url, body, signer):\n"
            "    request = requests.Request('POST', url, data=body)\n"
            "    return signer(request.prepare())\n"
        ),
    ]
    INVALID = [
        Invalid("import time\n\nasync def f():\n    time.sleep(1)\n", line=4, message="time.sleep"),
        Invalid("from time import sleep as pause\n\nasync def f():\n    pause(1)\n", line=4),
        Invalid(
            "import requests as rq\n\nasync def f():\n    return rq.get('http://x').json()\n",
            line=4,
        ),
        Invalid(
            "async def f():\n    with open('x') as fh:\n        return fh.read()\n",
            line=2,
            path="app/main.py",
        ),
        Invalid(
            "import smtplib\n\nasync def f():\n    with smtplib.SMTP_SSL('h') as s:\n        pass\n",
            line=4,
        ),
        Invalid("from urllib.request import urlopen\n\nasync def f():\n    urlopen('x')\n", line=4),
        Invalid(
            "from requests import request\n\nasync def f():\n    request('GET', 'x')\n",
            line=4,
        ),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        if not self.ctx.in_async_function():
            return
        qualified = self.ctx.qualified_name(node.func)
        if not qualified:
            return
        alternative = blocking_alternative(qualified)
        if alternative is None:
            return
        shown = qualified.removeprefix("builtins.")
        function = self.ctx.nearest_function()
        name = function.name.value if isinstance(function, cst.FunctionDef) else "?"
        self.report(node, f"Blocking call `{shown}()` inside `async def {name}`; use {alternative}")
