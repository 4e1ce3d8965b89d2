class DomainError(Exception):
    status_code = 400

    def to_http_exception(self):
        from fastapi import HTTPException

        return HTTPException(status_code=self.status_code, detail=str(self))


class UserNotFoundError(DomainError):
    status_code = 404
