"""All ORM models. Importing this package registers every table on `app.db.Base`."""

from app.models.invoice import Invoice
from app.models.login_attempt import LoginAttempt
from app.models.order import Order, OrderItem
from app.models.payment import Payment, WebhookEvent
from app.models.product import Product
from app.models.token import Token
from app.models.user import User

__all__ = [
    "Invoice",
    "LoginAttempt",
    "Order",
    "OrderItem",
    "Payment",
    "Product",
    "Token",
    "User",
    "WebhookEvent",
]
