"""The fields of a CST node that can hold other nodes, for walks cheaper than libcst's own.

libcst's visitor and transformer cost several times the parse; a walk over the dataclass
fields that skips whitespace and punctuation costs a fraction of it (the engine's rule
walk, and the lowering of newer syntax in parsing.py).
"""

from __future__ import annotations

import dataclasses

import libcst as cst

_SKIPPED_FIELDS = frozenset(
    {
        "lpar", "rpar", "comma", "semicolon", "leading_lines", "lines_after_decorators",
        "header", "footer", "trailing_whitespace", "equal", "colon", "first_colon",
        "second_colon", "dot", "lbrace", "rbrace", "lbracket", "rbracket", "asynchronous",
        "newline", "indent", "default_indent", "default_newline", "encoding",
        "has_trailing_newline", "empty_lines", "comment", "operator", "relative",
        "trailing_comma", "posonly_ind", "separator", "star",
    }
)  # fmt: skip
_child_fields: dict[type, tuple[str, ...]] = {}
_node_types: dict[type, bool] = {}


def is_node(kind: type) -> bool:
    """issubclass(kind, CSTNode), memoised: CSTNode is an ABC, so isinstance is slow."""
    known = _node_types.get(kind)
    if known is None:
        known = _node_types[kind] = issubclass(kind, cst.CSTNode)
    return known


def child_fields(node_type: type) -> tuple[str, ...]:
    """The names of the fields of `node_type` that may hold nodes worth visiting."""
    fields = _child_fields.get(node_type)
    if fields is None:
        fields = tuple(
            f.name
            for f in dataclasses.fields(node_type)
            if f.name not in _SKIPPED_FIELDS and not f.name.startswith("whitespace")
        )
        _child_fields[node_type] = fields
    return fields
