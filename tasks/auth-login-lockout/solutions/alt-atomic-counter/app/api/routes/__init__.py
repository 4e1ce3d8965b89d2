from fastapi import APIRouter

from app.api.routes import auth, health, users

api_router = APIRouter()
for module in (health, users, auth):
    api_router.include_router(module.router)
