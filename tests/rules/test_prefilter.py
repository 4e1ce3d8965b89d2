"""The prefilter only skips files that cannot have findings."""

from __future__ import annotations

import pytest

from harness.rules import Invalid, all_rules
from harness.rules.engine import check_source
from harness.rules.layers import Layers
from harness.rules.prefilter import may_have_findings
from tests.conftest import DATA

LAYERS = Layers()
# ARCH000 is not the prefilter's: a file that CPython cannot parse always goes to libcst.
INVALID = [
    (rule, example) for rule in all_rules() if rule.CODE != "ARCH000" for example in rule.INVALID
]


@pytest.mark.parametrize(
    ("rule", "example"), INVALID, ids=[f"{r.CODE}-{i}" for i, (r, _) in enumerate(INVALID)]
)
def test_no_invalid_example_is_skipped(rule, example: Invalid) -> None:  # type: ignore[no-untyped-def]
    for path in {example.path, "app/models/thing.py", "app/core/util.py"}:
        if check_source(example.code, path, [rule]):
            assert may_have_findings(
                example.code.encode(), LAYERS.is_service(path), LAYERS.is_api(path)
            ), path


def test_no_fixture_finding_is_skipped() -> None:
    for path in (DATA / "rules").rglob("*.py"):
        relative = path.relative_to(DATA / "rules").as_posix()
        if "# error:" in path.read_text():
            assert may_have_findings(
                path.read_bytes(), LAYERS.is_service(relative), LAYERS.is_api(relative)
            ), relative


def test_plain_models_and_schemas_are_skipped() -> None:
    model = b"from sqlalchemy.orm import Mapped\n\nclass User(Base):\n    __tablename__ = 'users'\n    id: Mapped[int]\n"
    assert not may_have_findings(model, is_service=False, is_api=False)
    assert may_have_findings(model, is_service=True, is_api=False)
    assert may_have_findings(b"def f():\n    LIMIT = 3\n", is_service=False, is_api=False)
