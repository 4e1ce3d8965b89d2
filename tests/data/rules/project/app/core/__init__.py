from app.core.errors import Conflict, HTTPException, NotFound

__all__ = ["Conflict", "HTTPException", "NotFound"]
