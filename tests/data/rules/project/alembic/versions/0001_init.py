from alembic import op


def upgrade():
    TABLE_NAME = "users"
    op.execute(f"CREATE TABLE {TABLE_NAME} (id integer primary key)")
    op.execute("INSERT INTO users (id) VALUES (1)")
