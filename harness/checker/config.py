"""`[tool.harness.check]` in pyproject.toml, validated, with rule selection."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from harness.core.errors import MalformedFile, UnknownRule
from harness.rules.catalog import CATALOG
from harness.rules.layers import (
    API_DIRS,
    API_FILES,
    DEFAULT_EXCLUDE,
    SERVICE_DIRS,
    SERVICE_FILES,
    Layers,
)
from harness.rules.limits import ResultConvention, Thresholds

MAX_FILE_BYTES = 10_000_000
# `>=3.11`, `~=3.12`, `==3.13.*`, `^3.11` (poetry), `<4`: the operator and major.minor
_VERSION_BOUND = re.compile(r"(>=|<=|!=|==|~=|>|<|\^|~)?\s*(\d+)\.(\d+)")


class CheckConfig(BaseModel):
    """Settings of `harness check`; keys are spelled with hyphens in pyproject.toml."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    select: list[str] | None = None
    ignore: list[str] = Field(default_factory=list)
    exclude: list[str] = Field(default_factory=lambda: list(DEFAULT_EXCLUDE))
    extend_exclude: list[str] = Field(default_factory=list, alias="extend-exclude")
    per_file_ignores: dict[str, list[str]] = Field(default_factory=dict, alias="per-file-ignores")
    service_dirs: list[str] = Field(
        default_factory=lambda: list(SERVICE_DIRS), alias="service-dirs"
    )
    service_files: list[str] = Field(
        default_factory=lambda: list(SERVICE_FILES), alias="service-files"
    )
    api_dirs: list[str] = Field(default_factory=lambda: list(API_DIRS), alias="api-dirs")
    api_files: list[str] = Field(default_factory=lambda: list(API_FILES), alias="api-files")
    service_max_lines: int = Field(150, ge=1, alias="service-max-lines")
    god_service_lines: int = Field(400, ge=1, alias="god-service-lines")
    god_service_methods: int = Field(10, ge=1, alias="god-service-methods")
    god_module_functions: int = Field(20, ge=1, alias="god-module-functions")
    god_module_lines: int = Field(1000, ge=1, alias="god-module-lines")
    result_convention: ResultConvention = Field("auto", alias="result-convention")
    max_file_bytes: int = Field(MAX_FILE_BYTES, ge=1, alias="max-file-bytes")
    target_version: str | None = Field(
        None, alias="target-version", pattern=r"^py3\d{1,2}$", description="e.g. py312"
    )

    def thresholds(self) -> Thresholds:
        return Thresholds(
            service_max_lines=self.service_max_lines,
            god_service_lines=self.god_service_lines,
            god_service_methods=self.god_service_methods,
            god_module_functions=self.god_module_functions,
            god_module_lines=self.god_module_lines,
            result_convention=self.result_convention,
        )

    def layers(self) -> Layers:
        return Layers(
            tuple(self.service_dirs),
            tuple(self.service_files),
            tuple(self.api_dirs),
            tuple(self.api_files),
        )

    def excludes(self) -> tuple[str, ...]:
        return (*self.exclude, *self.extend_exclude)


def find_pyproject(start: Path) -> Path | None:
    """The closest pyproject.toml at or above `start` that has a [tool.harness.check] table."""
    start = start.resolve()
    for directory in [start, *start.parents] if start.is_dir() else start.parents:
        candidate = directory / "pyproject.toml"
        if candidate.is_file():
            try:
                data = tomllib.loads(candidate.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
                continue
            if isinstance(data.get("tool", {}).get("harness", {}).get("check"), dict):
                return candidate
    return None


def _floor(specifier: str) -> tuple[int, int] | None:
    """The lowest Python a `requires-python` / poetry specifier allows (`>=3.11,<4` -> 3.11)."""
    floors = [
        (int(major), int(minor))
        for op, major, minor in _VERSION_BOUND.findall(specifier)
        if op != "<" and op != "<=" and op != "!="
    ]
    return max(floors) if floors else None


def python_floor(config: CheckConfig, start: Path) -> tuple[int, int] | None:
    """The oldest Python the project supports, for ARCH000 messages: `target-version` in
    [tool.harness.check], else `requires-python` (or ruff's `target-version`, or poetry's
    `python`) in the closest pyproject.toml at or above `start`; None if none says."""
    if config.target_version:
        return (3, int(config.target_version[3:]))
    start = start.resolve()
    for directory in [start, *start.parents] if start.is_dir() else start.parents:
        candidate = directory / "pyproject.toml"
        if not candidate.is_file():
            continue
        try:
            data = tomllib.loads(candidate.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            return None
        tool = data.get("tool", {})
        requires = data.get("project", {}).get("requires-python")
        if isinstance(requires, str) and _floor(requires):
            return _floor(requires)
        ruff = tool.get("ruff", {}).get("target-version")
        if isinstance(ruff, str) and re.fullmatch(r"py3\d{1,2}", ruff):
            return (3, int(ruff[3:]))
        poetry = tool.get("poetry", {}).get("dependencies", {}).get("python")
        return _floor(poetry) if isinstance(poetry, str) else None
    return None


def load_config(path: Path | None) -> CheckConfig:
    """Read `[tool.harness.check]` from a pyproject.toml; defaults when there is none."""
    if path is None:
        return CheckConfig()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise MalformedFile(f"{path}: cannot read ({exc})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise MalformedFile(f"{path}: invalid TOML ({exc}); fix the syntax") from exc
    table = data.get("tool", {}).get("harness", {}).get("check", {})
    try:
        config = CheckConfig.model_validate(table)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise MalformedFile(f"{path}: [tool.harness.check] {where}: {first['msg']}") from exc
    for selector in [*(config.select or []), *config.ignore]:
        resolve_selector(selector)
    for pattern, codes in config.per_file_ignores.items():
        for code in codes:
            resolve_selector(code, f"per-file-ignores {pattern!r}")
    return config


def resolve_selector(selector: str, where: str = "") -> set[str]:
    """Codes matched by a code, a code prefix (`ARCH1`), a slug, or `ALL`."""
    token = selector.strip()
    if token.upper() == "ALL":
        return {r.code for r in CATALOG}
    codes = {r.code for r in CATALOG if r.code.startswith(token.upper()) or token.lower() == r.slug}
    if not codes:
        known = ", ".join(f"{r.code} ({r.slug})" for r in CATALOG)
        context = f" in {where}" if where else ""
        raise UnknownRule(f"unknown rule {selector!r}{context}; known rules: {known}")
    return codes


def select_rules(select: list[str] | None, ignore: list[str]) -> tuple[str, ...]:
    """The codes of the enabled rules: all (or those selected) minus those ignored."""
    chosen = {r.code for r in CATALOG}
    if select:
        chosen = set().union(*(resolve_selector(s) for s in select))
    for selector in ignore:
        chosen -= resolve_selector(selector)
    return tuple(r.code for r in CATALOG if r.code in chosen)
