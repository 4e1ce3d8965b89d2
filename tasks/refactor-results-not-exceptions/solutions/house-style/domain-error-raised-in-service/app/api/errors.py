"""Mapping of service results to HTTP: the only place domain errors become responses."""

from typing import NoReturn, TypeVar

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from app.core.result import Failure, Result, Success
from app.domain.exceptions import DomainError

T = TypeVar("T")


def raise_for(error: DomainError) -> NoReturn:
    """Raise the HTTPException that corresponds to a domain error."""
    raise error.to_http_exception()


def unwrap(result: Result[T, DomainError]) -> T:
    """Return a Success's value, or raise a Failure's error as an HTTPException."""
    match result:
        case Success(value=value):
            return value
        case Failure(error=error):
            raise_for(error)
        case _:
            raise TypeError(f"expected Success or Failure, got {type(result).__name__}")


async def domain_error_handler(_request: Request, exc: Exception) -> JSONResponse:
    """Answer a DomainError raised anywhere with its status and `{"detail": ...}`."""
    assert isinstance(exc, DomainError)
    return JSONResponse(status_code=exc.status_code, content={"detail": exc.detail or exc.code})


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, domain_error_handler)
