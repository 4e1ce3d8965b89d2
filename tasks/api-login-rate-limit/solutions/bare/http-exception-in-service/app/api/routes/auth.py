from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session

from app.api.deps import get_db
from app.schemas.auth import LoginIn, TokenOut
from app.services.login_service import LoginService

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post("/login", response_model=TokenOut)
def login(credentials: LoginIn, request: Request, db: Session = Depends(get_db)) -> TokenOut:
    """Exchange email + password for a bearer access token (401 / 403 / 429 on failure)."""
    ip_address = request.client.host if request.client is not None else "unknown"
    return LoginService(db).login(credentials.email, credentials.password, ip_address)
