from app.repositories.order_repository import OrderRepository
from app.repositories.product_repository import ProductRepository
from app.repositories.token_repository import TokenRepository
from app.repositories.user_repository import UserRepository

__all__ = ["OrderRepository", "ProductRepository", "TokenRepository", "UserRepository"]
