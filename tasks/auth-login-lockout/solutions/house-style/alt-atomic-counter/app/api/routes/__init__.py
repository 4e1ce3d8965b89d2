from fastapi import APIRouter

from app.api.routes import auth, health, products, users

api_router = APIRouter()
for module in (health, users, products, auth):
    api_router.include_router(module.router)
