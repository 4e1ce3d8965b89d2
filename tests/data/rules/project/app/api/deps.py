def get_db():
    yield None
