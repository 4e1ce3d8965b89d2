from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from app import db as app_db
from app.core.clock import utcnow
from app.core.security import hash_password, hash_token
from app.main import app
from app.models.token import TOKEN_KIND_ACCESS, Token
from app.models.user import User


@pytest.fixture()
def client(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'test.db'}")
    app_db.reset_engine()
    app_db.init_db()
    with app_db.SessionLocal() as session:
        session.add_all(
            [
                User(id=1, email="alice@example.com", hashed_password=hash_password("pw")),
                User(
                    id=2,
                    email="bob@example.com",
                    hashed_password=hash_password("pw"),
                    full_name="Bob",
                    is_verified=True,
                ),
            ]
        )
        session.flush()
        for user_id, raw in [(2, "bob-web"), (2, "bob-phone")]:
            session.add(
                Token(
                    user_id=user_id,
                    kind=TOKEN_KIND_ACCESS,
                    token_hash=hash_token(raw),
                    expires_at=utcnow() + timedelta(hours=1),
                )
            )
        session.commit()
    with TestClient(app) as test_client:
        yield test_client
    app_db.reset_engine()


def auth(raw: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw}"}


def test_update_display_name(client):
    response = client.patch(
        "/users/me", json={"display_name": "  Bobby  "}, headers=auth("bob-web")
    )
    assert response.status_code == 200
    assert response.json()["display_name"] == "Bobby"
    assert client.get("/users/me", headers=auth("bob-web")).json()["full_name"] == "Bobby"


def test_nothing_to_update(client):
    response = client.patch("/users/me", json={}, headers=auth("bob-web"))
    assert response.status_code == 422
    assert response.json() == {"detail": "nothing_to_update"}


@pytest.mark.parametrize("name", ["", "   ", "x" * 81])
def test_invalid_display_name(client, name):
    response = client.patch("/users/me", json={"display_name": name}, headers=auth("bob-web"))
    assert response.status_code == 422
    assert response.json() == {"detail": "invalid_display_name"}


@pytest.mark.parametrize("email", ["bob", "bob@localhost", "a@b@example.com", "@example.com"])
def test_invalid_email(client, email):
    response = client.patch("/users/me", json={"email": email}, headers=auth("bob-web"))
    assert response.status_code == 422
    assert response.json() == {"detail": "invalid_email"}


def test_email_taken(client):
    response = client.patch(
        "/users/me", json={"email": "ALICE@example.com"}, headers=auth("bob-web")
    )
    assert response.status_code == 409
    assert response.json() == {"detail": "email_taken"}


def test_email_change_signs_out_other_devices(client):
    response = client.patch(
        "/users/me", json={"email": " Bob.New@Example.com "}, headers=auth("bob-web")
    )
    assert response.status_code == 200
    assert response.json()["email"] == "bob.new@example.com"
    assert response.json()["is_verified"] is False
    assert client.get("/users/me", headers=auth("bob-web")).status_code == 200
    assert client.get("/users/me", headers=auth("bob-phone")).status_code == 401


def test_requires_authentication(client):
    assert client.patch("/users/me", json={"display_name": "X"}).status_code == 401
