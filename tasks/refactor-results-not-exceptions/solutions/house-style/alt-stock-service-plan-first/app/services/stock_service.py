"""Stock movements on loaded products. Nothing here commits: callers decide when."""

from app.core.result import Result, failure, success
from app.domain.exceptions import InsufficientStockError, ValidationFailedError
from app.models.product import Product

MIN_RESTOCK_QUANTITY = 1


def shortage_error(product: Product, requested: int, available: int) -> InsufficientStockError:
    return InsufficientStockError(
        f"not enough stock for {product.sku}: {requested} requested, {available} available"
    )


class StockService:
    def add(self, product: Product, quantity: int) -> Result[Product, ValidationFailedError]:
        if quantity < MIN_RESTOCK_QUANTITY:
            return failure(
                ValidationFailedError(f"quantity must be at least {MIN_RESTOCK_QUANTITY}")
            )
        product.stock += quantity
        return success(product)

    def take(self, product: Product, quantity: int) -> Result[Product, InsufficientStockError]:
        if product.stock < quantity:
            return failure(shortage_error(product, quantity, product.stock))
        product.stock -= quantity
        return success(product)
