"""The floor of grading: a suite's HTTP cases in one plain process, no sandbox, no app host.

Run by `sample_overhead.py` as `python -I -B grading_floor.py SUITE_DIR` with the generated
suite and the app host's files in SUITE_DIR: the app is imported once (by the host's own
`App`, so the same fresh database and fakes per case), and every case's test function is
called in this process, its requests handed straight to the app. No pytest, no socket, no
second interpreter, no architecture probe: the least any grading of these cases can cost.
Prints one line: the number of cases run, then the ones that failed (none, for a reference).
"""

import inspect
import json
import sys

PROBE_TEST = "test_architecture_probe_services_import_without_fastapi"


class NoProbe:
    """The probe is grading's own extra (rule evidence), not one of the HTTP cases."""

    def outcome(self):
        return {"returncode": 0, "out": "", "err": ""}


class Direct:
    """The client's view of the app host, without the host: a call is a function call."""

    def __init__(self, host, app, error):
        self.host, self.app, self.error = host, app, error

    def call(self, op, **args):
        reply = self.host.handle(self.app, {"op": op, "args": args})
        if "error" in reply:
            raise self.error(reply["error"])
        return reply["ok"]


def main():
    sys.path.insert(0, sys.argv[1])
    import _app_host as host
    import _harness_support as support

    sys.path.insert(0, str(host.WORKSPACE))
    app = host.App(NoProbe())
    support._host = Direct(host, app, support.AppError)
    import test_contract

    ran, failed = 0, []
    for name, test in vars(test_contract).items():
        if not name.startswith("test_") or name == PROBE_TEST:
            continue
        arguments = {
            parameter: support.Harness() if parameter == "harness" else (lambda *_: None)
            for parameter in inspect.signature(test).parameters
        }
        ran += 1
        try:
            test(**arguments)
        except Exception as exc:  # a failed case: reported, the others still run
            failed.append(f"{name}: {str(exc)[:300]}")
    print(json.dumps({"ran": ran, "failed": failed}))


if __name__ == "__main__":
    main()
