def test_users():
    EXPECTED_COUNT = 3
    assert EXPECTED_COUNT == 3
