from datetime import timedelta
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from app import db as app_db
from app.core import imports
from app.core.clock import utcnow
from app.core.security import hash_token
from app.main import app
from app.models import Product, Token, User

RAW_TOKEN = "test-access-token"
AUTH = {"Authorization": f"Bearer {RAW_TOKEN}"}


@pytest.fixture
def import_dir(tmp_path, monkeypatch):
    directory = tmp_path / "imports"
    directory.mkdir()
    monkeypatch.setattr(imports, "IMPORT_DIR", directory)
    return directory


@pytest.fixture
def client(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'test.db'}")
    app_db.reset_engine()
    app_db.init_db()
    with app_db.SessionLocal() as session:
        user = User(email="alice@example.com", hashed_password="x")
        session.add(user)
        session.flush()
        session.add(
            Token(
                user_id=user.id,
                kind="access",
                token_hash=hash_token(RAW_TOKEN),
                expires_at=utcnow() + timedelta(hours=1),
            )
        )
        session.add(Product(sku="MUG-1", name="Mug", price=Decimal("12.50"), stock=5))
        session.commit()
    with TestClient(app) as test_client:
        yield test_client
    app_db.reset_engine()


def products_by_sku() -> dict[str, Product]:
    with app_db.SessionLocal() as session:
        return {p.sku: p for p in session.scalars(select(Product))}


def test_import_creates_and_updates(client, import_dir):
    (import_dir / "prices.csv").write_text(
        "sku,name,price,stock\nMUG-1,Mug (large),13.90,40\nCAP-1,Cap,9.99,12\n"
    )

    response = client.post("/products/import", json={"file": "prices.csv"}, headers=AUTH)

    assert response.status_code == 200
    assert response.json() == {"created": 1, "updated": 1, "rejected": []}
    products = products_by_sku()
    assert products["MUG-1"].price == Decimal("13.90")
    assert products["MUG-1"].stock == 40
    assert products["CAP-1"].name == "Cap"


def test_invalid_rows_are_reported(client, import_dir):
    (import_dir / "prices.csv").write_text(
        "sku,name,price,stock\n,Nameless,1.00,1\nHAT-1,Hat,4.999,2\nSOCK-1,Socks,3.50,-1\n"
    )

    response = client.post("/products/import", json={"file": "prices.csv"}, headers=AUTH)

    assert response.status_code == 200
    assert response.json()["rejected"] == [
        {"line": 2, "reason": "missing_sku"},
        {"line": 3, "reason": "invalid_price"},
        {"line": 4, "reason": "invalid_stock"},
    ]


@pytest.mark.parametrize("name", ["../prices.csv", "sub/prices.csv", "prices.txt"])
def test_invalid_file_name(client, import_dir, name):
    response = client.post("/products/import", json={"file": name}, headers=AUTH)

    assert response.status_code == 422
    assert response.json() == {"detail": "invalid_file_name"}


def test_missing_file(client, import_dir):
    response = client.post("/products/import", json={"file": "nope.csv"}, headers=AUTH)

    assert response.status_code == 404
    assert response.json() == {"detail": "file_not_found"}


def test_too_many_rows_imports_nothing(client, import_dir):
    lines = ["sku,name,price,stock"] + [f"SKU-{i},Item {i},1.00,1" for i in range(501)]
    (import_dir / "big.csv").write_text("\n".join(lines) + "\n")

    response = client.post("/products/import", json={"file": "big.csv"}, headers=AUTH)

    assert response.status_code == 413
    assert response.json() == {"detail": "too_many_rows"}
    assert list(products_by_sku()) == ["MUG-1"]


def test_requires_authentication(client, import_dir):
    response = client.post("/products/import", json={"file": "prices.csv"})

    assert response.status_code == 401
