"""Payment provider. The app only ships a fake, idempotent gateway."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol


class GatewayError(Exception):
    """Raised by a gateway that could not process a charge."""


@dataclass
class ChargeResult:
    reference: str
    status: str


@dataclass
class Charge:
    """One charge the fake gateway actually made (repeats of an idempotency key are not)."""

    amount: Decimal
    currency: str
    idempotency_key: str
    reference: str
    status: str


class PaymentGateway(Protocol):
    async def charge(
        self, amount: Decimal, currency: str, idempotency_key: str
    ) -> ChargeResult: ...


class FakePaymentGateway:
    """Records charges in `self.charges`; references are `ch_1`, `ch_2`, ...

    A repeated `idempotency_key` returns the first result without charging again.
    With `fail=True`, `charge` raises GatewayError.
    """

    def __init__(self, fail: bool = False) -> None:
        self.charges: list[Charge] = []
        self.fail = fail
        self._results: dict[str, ChargeResult] = {}

    async def charge(self, amount: Decimal, currency: str, idempotency_key: str) -> ChargeResult:
        if idempotency_key in self._results:
            return self._results[idempotency_key]
        if self.fail:
            raise GatewayError("payment gateway unavailable")
        result = ChargeResult(reference=f"ch_{len(self.charges) + 1}", status="succeeded")
        self.charges.append(
            Charge(
                amount=amount,
                currency=currency,
                idempotency_key=idempotency_key,
                reference=result.reference,
                status=result.status,
            )
        )
        self._results[idempotency_key] = result
        return result

    def reset(self) -> None:
        self.charges.clear()
        self._results.clear()
        self.fail = False


_payment_gateway = FakePaymentGateway()


def get_payment_gateway() -> FakePaymentGateway:
    """The process-wide gateway."""
    return _payment_gateway


def reset_payment_gateway() -> FakePaymentGateway:
    """Clear the process-wide gateway in place (no charges, `fail` off) and return it."""
    _payment_gateway.reset()
    return _payment_gateway
