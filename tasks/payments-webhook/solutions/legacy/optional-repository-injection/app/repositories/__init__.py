from app.repositories.payment_repository import PaymentRepository
from app.repositories.product_repository import ProductRepository
from app.repositories.token_repository import TokenRepository
from app.repositories.user_repository import UserRepository

__all__ = ["PaymentRepository", "ProductRepository", "TokenRepository", "UserRepository"]
