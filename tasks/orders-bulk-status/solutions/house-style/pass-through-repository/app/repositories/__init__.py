from app.repositories.order_repository import OrderRepository

__all__ = ["OrderRepository"]
