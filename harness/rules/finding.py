"""The value every rule produces: one finding at one place in one file."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum


class Severity(StrEnum):
    """How bad a finding is: only errors fail `harness check` and a sample's `resolved`."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Finding:
    """One rule broken at one place; frozen so it can be cached, sorted and compared.

    Field order is the sort order of every output: path, line, column, code.
    """

    path: str
    line: int
    column: int
    code: str
    rule: str
    severity: Severity
    message: str

    def to_dict(self) -> dict[str, object]:
        """The object of `harness check --format json` (fixed keys: a public contract)."""
        data = asdict(self)
        data["severity"] = str(self.severity)
        return {key: data[key] for key in JSON_KEYS}

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> Finding:
        return cls(
            path=str(data["path"]),
            line=int(data["line"]),  # type: ignore[arg-type]
            column=int(data["column"]),  # type: ignore[arg-type]
            code=str(data["code"]),
            rule=str(data["rule"]),
            severity=Severity(str(data["severity"])),
            message=str(data["message"]),
        )


JSON_KEYS = ("code", "rule", "severity", "path", "line", "column", "message")


PARSE_ERROR_CODE = "ARCH000"
PARSE_ERROR_SLUG = "parse-error"


def parse_error(path: str, message: str, line: int = 1, column: int = 1) -> Finding:
    """The ARCH000 finding: a file that cannot be parsed, decoded or read."""
    return Finding(
        path,
        max(line, 1),
        max(column, 1),
        PARSE_ERROR_CODE,
        PARSE_ERROR_SLUG,
        Severity.ERROR,
        message,
    )
