"""Errors of shipping quotes."""

from app.domain.exceptions import ConflictError, DomainError, ValidationFailedError


class OrderCancelledError(ConflictError):
    code = "order_cancelled"


class UnsupportedCountryError(ValidationFailedError):
    code = "unsupported_country"


class CarrierUnavailableError(DomainError):
    status_code = 503
    code = "carrier_unavailable"
