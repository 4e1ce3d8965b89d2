"""The cheap project-wide pre-pass: what each module re-exports.

A service may import `HTTPException` from `app.core.errors`, which imported it from
`fastapi`; or raise `NotFound`, built at module level elsewhere as `HTTPException(404)`;
or raise a subclass of it. Each file contributes the top-level aliases, instances and
base classes it defines, read with the stdlib `ast` (several times faster than libcst),
and the index resolves chains across files. It also records the classes a project
defines and the Result convention its services use (ARCH102; see result_convention.py).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from harness.rules.modules import resolve_relative
from harness.rules.result_convention import (
    RESULT_LIBRARIES,
    defined_name,
    has_pair,
    is_result_import,
    service_uses_convention,
)

MAX_CHAIN = 16


@dataclass
class ModuleExports:
    """What one module binds at top level that another module could import."""

    aliases: dict[str, str] = field(default_factory=dict)
    instances: dict[str, str] = field(default_factory=dict)
    bases: dict[str, list[str]] = field(default_factory=dict)
    parses: bool = True
    result_imported: list[str] = field(default_factory=list)
    result_defined: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {
            "aliases": self.aliases,
            "instances": self.instances,
            "bases": self.bases,
            "parses": self.parses,
            "result_imported": self.result_imported,
            "result_defined": self.result_defined,
        }

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> ModuleExports:
        return cls(
            aliases=dict(data.get("aliases", {})),  # type: ignore[arg-type]
            instances=dict(data.get("instances", {})),  # type: ignore[arg-type]
            bases={k: list(v) for k, v in dict(data.get("bases", {})).items()},  # type: ignore[arg-type]
            parses=bool(data.get("parses", True)),
            result_imported=list(data.get("result_imported", [])),  # type: ignore[call-overload]
            result_defined=list(data.get("result_defined", [])),  # type: ignore[call-overload]
        )


def _dotted(node: ast.expr) -> str | None:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def _absolute(node: ast.ImportFrom, module_name: str, is_package: bool) -> str:
    return resolve_relative(node.level, node.module or "", module_name, is_package)


def _top_statements(body: list[ast.stmt]) -> list[ast.stmt]:
    out: list[ast.stmt] = []
    for stmt in body:
        out.append(stmt)
        if isinstance(stmt, ast.If):
            out.extend(_top_statements(stmt.body + stmt.orelse))
        elif isinstance(stmt, ast.Try):
            handlers = [s for h in stmt.handlers for s in h.body]
            out.extend(_top_statements(stmt.body + handlers + stmt.orelse))
    return out


def extract_exports(source: bytes, module_name: str, is_package: bool) -> ModuleExports:
    """Top-level aliases, instances and bases of one module; empty if it does not parse.

    `parses` tells the rule pass that libcst may read the file without the guard: CPython
    accepted it, or (syntax newer than the running Python) libcst did in a child process.
    """
    try:
        tree = ast.parse(source)
    except SyntaxError as error:
        from harness.rules.parsing import newer_syntax_tree

        accepted, newer_tree = newer_syntax_tree(source, error)
        if not accepted:
            return ModuleExports(parses=False)
        tree = newer_tree or ast.Module(body=[], type_ignores=[])
    except (ValueError, RecursionError, MemoryError):
        return ModuleExports(parses=False)
    prefix = f"{module_name}." if module_name else ""
    local: dict[str, str] = {}
    exports = ModuleExports()

    def qualify(expr: ast.expr) -> str | None:
        dotted = _dotted(expr)
        if dotted is None:
            return None
        head, _, rest = dotted.partition(".")
        target = local.get(head, f"{prefix}{head}")
        return f"{target}.{rest}" if rest else target

    for stmt in _top_statements(tree.body):
        defined = defined_name(stmt)
        if defined is not None and is_result_import("", defined):
            exports.result_defined.append(f"{prefix}{defined}")
        if isinstance(stmt, ast.ImportFrom):
            source_module = _absolute(stmt, module_name, is_package)
            for alias in stmt.names:
                if alias.name == "*":
                    continue
                name = alias.asname or alias.name
                local[name] = f"{source_module}.{alias.name}" if source_module else alias.name
                exports.aliases[f"{prefix}{name}"] = local[name]
                if is_result_import(source_module, alias.name):
                    exports.result_imported.append(local[name])
        elif isinstance(stmt, ast.Import):
            for alias in stmt.names:
                if alias.name.split(".")[0] in RESULT_LIBRARIES:
                    exports.result_imported.append(alias.name)
                if alias.asname:
                    local[alias.asname] = alias.name
                    exports.aliases[f"{prefix}{alias.asname}"] = alias.name
                else:
                    head = alias.name.split(".")[0]
                    local[head] = head
        elif isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
            target = stmt.targets[0]
            if not isinstance(target, ast.Name):
                continue
            if isinstance(stmt.value, ast.Call):
                constructor = qualify(stmt.value.func)
                if constructor:
                    exports.instances[f"{prefix}{target.id}"] = constructor
            else:
                value = qualify(stmt.value)
                if value:
                    exports.aliases[f"{prefix}{target.id}"] = value
        elif isinstance(stmt, ast.ClassDef):
            bases = [b for b in (qualify(base) for base in stmt.bases) if b]
            if bases:
                exports.bases[f"{prefix}{stmt.name}"] = bases
    return exports


@dataclass
class ProjectIndex:
    """Re-exports, instances and class bases of every checked module, resolvable by name."""

    aliases: dict[str, str] = field(default_factory=dict)
    instances: dict[str, str] = field(default_factory=dict)
    bases: dict[str, list[str]] = field(default_factory=dict)
    local_roots: frozenset[str] = frozenset()
    lookups: dict[str, object] | None = None
    pair_modules: set[str] = field(default_factory=set)
    service_results: list[tuple[list[str], list[str]]] = field(default_factory=list)
    _memo: dict[str, object] = field(default_factory=dict)

    def add(self, exports: ModuleExports, is_service: bool = False) -> None:
        self.aliases.update(exports.aliases)
        self.instances.update(exports.instances)
        self.bases.update(exports.bases)
        if has_pair(exports.result_defined):
            self.pair_modules.add(exports.result_defined[0].rpartition(".")[0])
            self._memo.pop("r|", None)
        if is_service and (exports.result_imported or exports.result_defined):
            self.service_results.append((exports.result_imported, exports.result_defined))
            self._memo.pop("r|", None)

    def result_convention(self) -> bool:
        """Whether the project's service layer uses a Result convention (ARCH102)."""
        key = "r|"
        if key not in self._memo:
            self._memo[key] = any(
                service_uses_convention(imported, defined, self.pair_modules, self.local_roots)
                for imported, defined in self.service_results
            )
        if self.lookups is not None:
            self.lookups[key] = self._memo[key]
        return bool(self._memo[key])

    def defines_class(self, qualified: str) -> bool:
        """True for a class with bases defined in a checked module (an exception class,
        when it is raised)."""
        result = self._canonical(qualified) in self.bases
        if self.lookups is not None:
            self.lookups[f"d|{qualified}"] = result
        return result

    def canonical(self, qualified: str) -> str:
        """Follow re-export chains (`app.core.HTTPException` -> `fastapi.HTTPException`)."""
        result = self._canonical(qualified)
        if self.lookups is not None:
            self.lookups[f"c|{qualified}"] = result
        return result

    def _canonical(self, qualified: str) -> str:
        seen: set[str] = set()
        current = qualified
        for _ in range(MAX_CHAIN):
            parts = current.split(".")
            for cut in range(len(parts), 0, -1):
                prefix = ".".join(parts[:cut])
                target = self.aliases.get(prefix)
                if target is not None and target != prefix:
                    current = ".".join([target, *parts[cut:]])
                    break
            else:
                return current
            if current in seen:
                return current
            seen.add(current)
        return current

    def constructor_of(self, qualified: str) -> str | None:
        """The class a module-level instance was built from, if `qualified` is one."""
        constructor = self.instances.get(self._canonical(qualified))
        result = self._canonical(constructor) if constructor else None
        if self.lookups is not None:
            self.lookups[f"k|{qualified}"] = result
        return result

    def inherits(
        self, qualified: str, targets: frozenset[str], target_names: frozenset[str]
    ) -> bool:
        """True if the class is one of `targets` (or named like one) or derives from one."""
        result = self._inherits(qualified, targets, target_names)
        if self.lookups is not None:
            key = f"i|{qualified}|{','.join(sorted(targets))}|{','.join(sorted(target_names))}"
            self.lookups[key] = result
        return result

    def _inherits(
        self, qualified: str, targets: frozenset[str], target_names: frozenset[str]
    ) -> bool:
        stack = [self._canonical(qualified)]
        seen: set[str] = set()
        while stack:
            current = stack.pop()
            if current in seen:
                continue
            seen.add(current)
            if current in targets or current.rsplit(".", 1)[-1] in target_names:
                return True
            stack.extend(self._canonical(base) for base in self.bases.get(current, ()))
        return False

    def answer(self, key: str) -> object:
        """Re-ask a recorded lookup (see `lookups`), to tell whether a cached file's
        findings still hold after other files changed."""
        kind, _, rest = key.partition("|")
        if kind == "c":
            return self._canonical(rest)
        if kind == "r":
            return self.result_convention()
        if kind == "d":
            return self._canonical(rest) in self.bases
        if kind == "k":
            constructor = self.instances.get(self._canonical(rest))
            return self._canonical(constructor) if constructor else None
        qualified, targets, names = rest.split("|")
        return self._inherits(
            qualified,
            frozenset(filter(None, targets.split(","))),
            frozenset(filter(None, names.split(","))),
        )

    def still_answers(self, lookups: dict[str, object]) -> bool:
        """Whether every recorded lookup gets the same answer now (answers memoised: the
        same few names are asked by most files)."""
        memo = self._memo
        for key, value in lookups.items():
            if key not in memo:
                memo[key] = self.answer(key)
            if memo[key] != value:
                return False
        return True
