"""Module names from paths and relative imports: pure string functions, no parser."""

from __future__ import annotations


def module_name_for(path: str) -> tuple[str, bool]:
    """Dotted module name of a relative path (`app/services/x.py` -> `app.services.x`)."""
    parts = [p for p in path.replace("\\", "/").split("/") if p not in ("", ".", "..")]
    if not parts:
        return "", False
    last = parts[-1]
    stem = last[:-3] if last.endswith(".py") else last
    if stem == "__init__":
        return ".".join(parts[:-1]), True
    return ".".join([*parts[:-1], stem]), False


def resolve_relative(level: int, target: str, module_name: str, is_package: bool) -> str:
    """The absolute module of `from <level dots><target> import ...` inside `module_name`."""
    if level == 0:
        return target
    package = module_name.split(".") if module_name else []
    if not is_package and package:
        package = package[:-1]
    if level > 1:
        package = package[: max(0, len(package) - (level - 1))]
    return ".".join([*package, target] if target else package)
