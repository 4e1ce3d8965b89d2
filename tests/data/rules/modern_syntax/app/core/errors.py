"""Errors and results, generic in the PEP 695 way; re-exported to the services."""

from fastapi import HTTPException

type ErrorCode = str


class Result[T, E: Exception = Exception]:
    def __init__(self, value: T | None = None, error: E | None = None) -> None:
        self.value = value
        self.error = error


class Conflict(HTTPException):
    pass


NotFound = HTTPException(status_code=404)


def describe[**P, R](code: ErrorCode, *args: P.args, **kwargs: P.kwargs) -> str:
    return f"{code}: {", ".join(map(str, args))}"
