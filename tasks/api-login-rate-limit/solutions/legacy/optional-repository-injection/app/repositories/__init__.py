from app.repositories.login_attempt_repository import LoginAttemptRepository
from app.repositories.product_repository import ProductRepository
from app.repositories.token_repository import TokenRepository
from app.repositories.user_repository import UserRepository

__all__ = ["LoginAttemptRepository", "ProductRepository", "TokenRepository", "UserRepository"]
