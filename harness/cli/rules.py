"""`harness rules [CODE]`: the rule catalog, and one rule explained."""

from __future__ import annotations

import argparse

from harness.cli.exit_codes import EXIT_OK


def run(args: argparse.Namespace) -> int:
    from harness.checker.config import resolve_selector
    from harness.rules import all_rules
    from harness.rules.out_of_scope import OUT_OF_SCOPE_CODE, OUT_OF_SCOPE_DOC, OUT_OF_SCOPE_SLUG

    rules = all_rules()
    if args.rule and args.rule.upper() in (OUT_OF_SCOPE_CODE, OUT_OF_SCOPE_SLUG.upper()):
        print(f"# {OUT_OF_SCOPE_CODE} {OUT_OF_SCOPE_SLUG} (error)\n")
        print(OUT_OF_SCOPE_DOC)
        return EXIT_OK
    if args.rule:
        codes = resolve_selector(args.rule)
        for rule in rules:
            if rule.CODE in codes:
                print(f"# {rule.CODE} {rule.SLUG} ({rule.SEVERITY})\n")
                print(_dedent_doc(rule.__doc__ or ""))
        return EXIT_OK
    for rule in rules:
        print(f"{rule.CODE}  {rule.SLUG:<34} {rule.SEVERITY:<8} {rule.SCOPE.value}")
    print(f"{OUT_OF_SCOPE_CODE}  {OUT_OF_SCOPE_SLUG:<34} {'error':<8} run/score only")
    return EXIT_OK


def _dedent_doc(doc: str) -> str:
    import inspect

    return inspect.cleandoc(doc)
