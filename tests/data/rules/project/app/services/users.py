"""User operations. Never raise HTTPException here: return failure(...) instead."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.core import Conflict, HTTPException, NotFound  # error: ARCH501
from app.core.result import failure, success
from app.domain.exceptions import UserNotFoundError
from app.api.deps import get_db  # error: ARCH502

if TYPE_CHECKING:
    from fastapi import Request  # error: ARCH501


class UserService:
    """Mentions HTTPException and fastapi in prose only."""

    def get(self, db, user_id):
        user = db.get("User", user_id)
        if user is None:
            raise HTTPException(  # error: ARCH101
                status_code=404,
                detail="user not found",
            )
        return success(user)

    def get_or_404(self, db, user_id):
        if db.get("User", user_id) is None:
            raise NotFound  # error: ARCH101
        return success(None)

    def create(self, db, email):
        if db.exists(email):
            raise Conflict()  # error: ARCH101
        return success(email)

    def load(self, db, user_id):
        try:
            return success(db.load(user_id))
        except KeyError as exc:
            raise UserNotFoundError(user_id) from exc  # error: ARCH102

    def export(self, user):
        from fastapi.encoders import jsonable_encoder  # error: ARCH501

        return jsonable_encoder(user)

    def find(self, db, user_id):
        user = db.get("User", user_id)
        return success(user) if user else failure(UserNotFoundError(user_id))
