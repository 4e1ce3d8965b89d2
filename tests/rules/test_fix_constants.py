"""ARCH301's fix moves what is safe to move and nothing else."""

from __future__ import annotations

import textwrap

from harness.rules.fix_constants import fix_constants

SOURCE = textwrap.dedent(
    '''\
    from datetime import timedelta
    import status

    LIMIT = 3


    class AuthService:
        """Auth."""

        def login(self, user, attempts):
            # how many failures lock the account
            MAX_FAILED_ATTEMPTS = 5  # policy
            LOCKOUT = timedelta(minutes=30)
            BAD = attempts * 2
            ITEMS = [1, 2]
            NOW = datetime.now()
            CODE = status.HTTP_401
            if user:
                INNER = 1
            return MAX_FAILED_ATTEMPTS, LOCKOUT, BAD, ITEMS, NOW, CODE, INNER


    def other():
        LIMIT = 3
        TTL: int = 60
        return TTL, LIMIT
    '''
)


def test_moves_safe_constants_above_their_first_use_keeping_comments() -> None:
    outcome = fix_constants(SOURCE)
    assert outcome.code.index(
        "# how many failures lock the account\nMAX_FAILED_ATTEMPTS = 5  # policy\n"
    ) < (outcome.code.index("class AuthService"))
    assert "LOCKOUT = timedelta(minutes=30)\n" in outcome.code.split("class AuthService")[0]
    assert "TTL: int = 60\n\n\ndef other" in outcome.code
    assert {name for name, _ in outcome.moved} == {"MAX_FAILED_ATTEMPTS", "LOCKOUT", "CODE", "TTL"}
    assert outcome.code.count("LIMIT = 3") == 1


def test_leaves_what_could_change_behaviour() -> None:
    reasons = {s.name: s.reason for s in fix_constants(SOURCE).skipped}
    assert "local name `attempts`" in reasons["BAD"]
    assert "mutable" in reasons["ITEMS"]
    assert "datetime.now" in reasons["NOW"]
    assert "not a plain statement" in reasons["INNER"]
    assert "same value" in reasons["LIMIT"]


def test_fixed_code_behaves_the_same() -> None:
    before = "from datetime import timedelta\n\ndef f(x):\n    TTL = timedelta(minutes=5)\n    K = 2\n    return x * K, TTL\n"
    outcome = fix_constants(before)
    assert outcome.code != before
    old, new = {}, {}
    exec(compile(before, "before", "exec"), old)
    exec(compile(outcome.code, "after", "exec"), new)
    assert old["f"](3) == new["f"](3)


def test_conflicting_module_constant_is_not_overwritten() -> None:
    outcome = fix_constants("LIMIT = 1\n\ndef f():\n    LIMIT = 2\n    return LIMIT\n")
    assert outcome.moved == []
    assert "already defines" in outcome.skipped[0].reason


def test_value_defined_below_is_not_moved_above_it() -> None:
    outcome = fix_constants("def f():\n    LIMIT = BASE + 1\n    return LIMIT\n\nBASE = 1\n")
    assert outcome.moved == [] and "below" in outcome.skipped[0].reason


def test_function_left_empty_gets_pass() -> None:
    outcome = fix_constants("def f():\n    UNUSED = 1\n")
    compile(outcome.code, "x", "exec")
    assert "UNUSED = 1\n\n\ndef f():\n    pass\n" in outcome.code


def test_only_given_lines() -> None:
    outcome = fix_constants(
        "def f():\n    A1 = 1  # noqa\n    B2 = 2\n    return A1, B2\n", lines={3}
    )
    assert [name for name, _ in outcome.moved] == ["B2"]


def test_global_declaration_is_not_a_constant_to_move() -> None:
    source = "COUNT = 0\n\ndef bump():\n    global COUNT\n    COUNT = 1\n"
    assert fix_constants(source).code == source
