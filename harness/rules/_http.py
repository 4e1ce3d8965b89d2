"""What counts as FastAPI's HTTPException (shared by ARCH101 and ARCH102)."""

from __future__ import annotations

from harness.rules.context import FileContext

HTTP_EXCEPTION_NAMES = frozenset({"HTTPException"})
HTTP_EXCEPTION_CLASSES = frozenset(
    {
        "fastapi.HTTPException",
        "fastapi.exceptions.HTTPException",
        "starlette.HTTPException",
        "starlette.exceptions.HTTPException",
    }
)
FRAMEWORK_ROOTS = frozenset({"fastapi", "starlette"})


def is_http_exception(ctx: FileContext, qualified: str | None) -> bool:
    """True for HTTPException by any alias or re-export, or a subclass of it."""
    if not qualified:
        return False
    return ctx.project.inherits(qualified, HTTP_EXCEPTION_CLASSES, HTTP_EXCEPTION_NAMES)


def is_http_exception_value(ctx: FileContext, qualified: str | None) -> bool:
    """The class above, or a module-level instance built from it (`NotFound = HTTPException()`)."""
    if is_http_exception(ctx, qualified):
        return True
    constructor = ctx.project.constructor_of(qualified) if qualified else None
    return is_http_exception(ctx, constructor)
