from fastapi import APIRouter

from app.api.routes import email_verification, health, products, registration, users

api_router = APIRouter()
api_router.include_router(health.router)
api_router.include_router(registration.router)
api_router.include_router(email_verification.router)
api_router.include_router(users.router)
api_router.include_router(products.router)
