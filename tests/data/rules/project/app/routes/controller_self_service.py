"""A FastAPI controller named like a service: the API layer wins."""

from fastapi import APIRouter, HTTPException

router = APIRouter()


@router.get("/me")
async def me():
    raise HTTPException(status_code=401)
