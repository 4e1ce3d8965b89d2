"""Success / Failure values."""

from dataclasses import dataclass
from typing import Generic, TypeVar, Union

T = TypeVar("T")
E = TypeVar("E")


@dataclass(frozen=True)
class Success(Generic[T]):
    value: T


@dataclass(frozen=True)
class Failure(Generic[E]):
    error: E


Result = Union[Success[T], Failure[E]]


def success(value: T) -> Success[T]:
    return Success(value)


def failure(error: E) -> Failure[E]:
    return Failure(error)
