"""Domain errors. Services return them inside `failure(...)`; the API layer maps them
to HTTP with `to_http_exception()` (see app.api.errors)."""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import HTTPException


class DomainError(Exception):
    status_code = 400
    code = "domain_error"

    def __init__(self, detail: str | None = None) -> None:
        super().__init__(detail or self.code)
        self.detail = detail

    def to_http_exception(self) -> "HTTPException":
        """A `fastapi.HTTPException` for this error (fastapi is imported only here)."""
        from fastapi import HTTPException

        return HTTPException(status_code=self.status_code, detail=self.detail or self.code)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.detail!r})"


class NotFoundError(DomainError):
    status_code = 404
    code = "not_found"


class ConflictError(DomainError):
    status_code = 409
    code = "conflict"


class InvalidCredentialsError(DomainError):
    status_code = 401
    code = "invalid_credentials"


class AccountLockedError(DomainError):
    status_code = 423
    code = "account_locked"


class PermissionDeniedError(DomainError):
    status_code = 403
    code = "forbidden"


class ValidationFailedError(DomainError):
    status_code = 422
    code = "validation_failed"


class InsufficientStockError(DomainError):
    status_code = 409
    code = "insufficient_stock"


class PaymentGatewayError(DomainError):
    status_code = 502
    code = "payment_gateway_error"


class InvalidSignatureError(DomainError):
    status_code = 401
    code = "invalid_signature"


class InvalidTokenError(DomainError):
    status_code = 400
    code = "invalid_token"


class RateLimitedError(DomainError):
    """Too many requests; `retry_after` (seconds), when known, becomes a Retry-After header."""

    status_code = 429
    code = "rate_limited"

    def __init__(self, detail: str | None = None, *, retry_after: int | None = None) -> None:
        super().__init__(detail)
        self.retry_after = retry_after

    def to_http_exception(self) -> "HTTPException":
        exception = super().to_http_exception()
        if self.retry_after is not None:
            exception.headers = {"Retry-After": str(self.retry_after)}
        return exception
