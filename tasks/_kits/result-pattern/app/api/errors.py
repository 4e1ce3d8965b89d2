from typing import NoReturn, TypeVar

from app.core.result import Failure, Result, Success
from app.domain.exceptions import DomainError

T = TypeVar("T")


def raise_for(error: DomainError) -> NoReturn:
    raise error.to_http_exception()


def unwrap(result: Result[T, DomainError]) -> T:
    match result:
        case Success(value=value):
            return value
        case Failure(error=error):
            raise_for(error)
        case _:
            raise TypeError(f"expected Success or Failure, got {type(result).__name__}")
