"""HTTP errors shared by the routers (a non-service module may use FastAPI freely)."""

from fastapi import HTTPException
from fastapi import status as http_status

NotFound = HTTPException(status_code=http_status.HTTP_404_NOT_FOUND)


class Conflict(HTTPException):
    def __init__(self) -> None:
        super().__init__(status_code=409)
