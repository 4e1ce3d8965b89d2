"""VAT arithmetic on Decimal money."""

from decimal import ROUND_HALF_UP, Decimal, localcontext

MONEY_PLACES = 2


def split_vat(net: Decimal, rate: Decimal) -> tuple[Decimal, Decimal]:
    """(vat, gross) for a net amount: VAT on the whole amount, half up to cents."""
    with localcontext() as context:
        context.rounding = ROUND_HALF_UP
        vat = round(net * rate, MONEY_PLACES)
    return vat, net + vat
