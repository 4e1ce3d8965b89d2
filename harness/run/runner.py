"""`run_eval()`: samples (arm x task x starter x epoch) from workspace to score, into a run
directory.

Run directory layout:
    events.jsonl                       one line per finished sample (append-only, fsynced;
                                       a resume retries errored samples: the last line wins)
    report.json                        the versioned report (written atomically at the end)
    run.json                           the run's identity (what a resume must match)
    plan.json                          the whole run's samples in order (shards: all shards')
    prompts/<sha256>.md                each arm's system prompt
    samples/<arm>/<task>/<starter>/<epoch>/   workspace/, transcript.json, score.json
"""

from __future__ import annotations

import asyncio
import functools
import os
import shutil
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from harness.core import error_kinds
from harness.core.errors import ApiOutage, InputError
from harness.core.files import (
    append_event,
    discard_torn_tail,
    read_events,
    write_model,
)
from harness.core.schema import (
    Report,
    SampleError,
    SampleScore,
)
from harness.core.transcript import Transcript
from harness.providers.base import Provider
from harness.providers.limiter import AdaptiveLimiter, call_priority
from harness.providers.registry import SessionRequest, provider_info
from harness.run.identity import check_identity, record_plan, record_prompts
from harness.run.plan import RunOptions, SampleSpec, plan
from harness.run.providers import sample_provider, shared_provider
from harness.run.report import run_report
from harness.sandbox import disk
from harness.sandbox.run import Limits, ensure_sandbox, resolve_mode
from harness.scoring.score import errored_sample
from harness.solver.loop import solve
from harness.solver.tools import Toolbox
from harness.tasks.workspace import keep_changes, render_workspace

EVENTS = "events.jsonl"
REPORT = "report.json"
TOOL_THREADS = 64
RENDER_THREADS = 2
# The circuit breaker: after this many samples in a row errored as ProviderUnavailable (each
# after its own retries, about four minutes by default), the API is taken to be down: no new
# sample starts, the rest are reported as not run, and the run stops, resumable.
OUTAGE_SAMPLES = 5
UNAVAILABLE = error_kinds.PROVIDER_UNAVAILABLE
NOT_RUN = error_kinds.API_UNAVAILABLE


def unscored_sample(spec: SampleSpec, transcript: Transcript) -> SampleScore:
    """--no-score: the transcript is kept; scoring can follow with --model replay:<run-dir>."""
    return SampleScore(
        task_id=spec.task.id, starter=spec.starter, epoch=spec.epoch, arm=spec.arm, status="skipped", resolved=False,
        error=SampleError(kind=error_kinds.NO_SCORE, message="scoring switched off (--no-score); score later with --model replay:<this run>"),
        usage=transcript.usage, stop_reason=transcript.stop_reason, turns=transcript.turns,
        cached_turns=transcript.cached_turns,
        duration_s=transcript.duration_s,
    )  # fmt: skip


class _Run:
    """The shared state of one run's samples: limits, pools, the event log."""

    def __init__(self, options: RunOptions, mode: str, done: dict, on_sample) -> None:  # type: ignore[no-untyped-def]
        self.options, self.mode, self.done, self.on_sample = options, mode, done, on_sample
        self.limiter = AdaptiveLimiter(options.max_connections)
        self.provider = provider_info(options.model)
        per_connection = self.provider.samples_per_connection
        self.active = asyncio.Semaphore(max(options.max_connections * per_connection, 1))
        self.grading = ThreadPoolExecutor(
            max_workers=os.cpu_count() or 1, thread_name_prefix="grade"
        )
        self.running = 0
        self.unavailable_streak = self.longest_streak = 0
        self.last_unavailable = ""
        self.events = options.out_dir / EVENTS
        self.finished = asyncio.Condition()
        self.event_lock = threading.Lock()
        self.rendering = ThreadPoolExecutor(max_workers=RENDER_THREADS, thread_name_prefix="render")

    async def cost_known(self) -> None:
        """Under --max-cost, the first sample runs alone: until one finishes, the cost of a
        typical sample is unknown and concurrent starts could overshoot the cap."""
        if self.options.max_cost is None:
            return
        async with self.finished:
            await self.finished.wait_for(lambda: bool(self.done) or not self.running)

    def over_budget(self) -> bool:
        """No new sample starts once the spend so far, plus a typical sample for each one
        running and for this one, would pass the cap."""
        if self.options.max_cost is None:
            return False
        spent = sum(s.usage.cost_usd for s in self.done.values())
        typical = spent / len(self.done) if self.done else 0.0
        return spent + typical * (self.running + 1) > self.options.max_cost

    @property
    def api_down(self) -> bool:
        """The circuit breaker is open: the newest samples all found the API unavailable."""
        return self.unavailable_streak >= OUTAGE_SAMPLES

    def _watch_outage(self, score: SampleScore) -> None:
        error = score.error
        if score.status == "errored" and error is not None and error.kind == UNAVAILABLE:
            self.unavailable_streak += 1
            self.longest_streak = max(self.longest_streak, self.unavailable_streak)
            self.last_unavailable = error.message
        else:
            self.unavailable_streak = 0

    async def sample(self, spec: SampleSpec, shared: Provider | None, order: int = 0) -> None:
        """Render, solve, grade one sample; a harness failure becomes an errored score."""
        if self.options.score:  # older samples first, so grading overlaps the others' calls
            call_priority.set(order)
        try:
            score = await self._solve_and_grade(spec, shared)
        finally:
            self.running -= 1
        self._watch_outage(score)
        await asyncio.to_thread(self._record, score)  # fsync off the event loop
        self.done[spec.key] = score
        if self.on_sample is not None:
            self.on_sample(score)
        async with self.finished:
            self.finished.notify_all()

    def _record(self, score: SampleScore) -> None:
        with self.event_lock:
            append_event(self.events, {"type": "sample", "score": score.model_dump(mode="json")})

    async def _solve_and_grade(self, spec: SampleSpec, shared: Provider | None) -> SampleScore:
        options = self.options
        directory = options.out_dir / spec.directory
        workspace = directory / "workspace"
        try:
            try:
                quota = await asyncio.get_running_loop().run_in_executor(
                    self.rendering, _fresh_workspace, spec, directory, workspace
                )  # in plan order, so the first samples need not wait for all the others
                try:
                    transcript = await self._solve(spec, shared, workspace)
                finally:
                    if quota:  # the files to the run directory; the tmpfs is freed
                        await asyncio.to_thread(disk.persist, workspace)
            finally:
                self.active.release()  # the next sample may start while this one is graded
        except InputError:
            raise
        except Exception as exc:  # a provider or tool failure is the harness's, not the model's
            return errored_sample(
                spec.task.id, spec.starter, spec.epoch, spec.arm, error_kinds.of_exception(exc),
                f"{type(exc).__name__}: {exc}",
            )  # fmt: skip
        try:
            await asyncio.to_thread(write_model, directory / "transcript.json", transcript)
            if not options.score:
                score = unscored_sample(spec, transcript)
            else:
                grade = functools.partial(
                    _timed_grade, spec.task, spec.starter, workspace, epoch=spec.epoch, arm=spec.arm,
                    sandbox=self.mode, transcript=transcript, db=options.db,
                )  # fmt: skip
                score = await asyncio.get_running_loop().run_in_executor(self.grading, grade)
            await asyncio.to_thread(write_model, directory / "score.json", score)
            await asyncio.to_thread(keep_changes, spec.task, spec.starter, workspace, directory)
        except InputError:
            raise
        except Exception as exc:  # whatever the workspace holds, one sample never ends the run
            return errored_sample(
                spec.task.id, spec.starter, spec.epoch, spec.arm, error_kinds.GRADING_FAILED,
                f"{type(exc).__name__}: {exc}"[:2000],
            )  # fmt: skip
        return score

    async def _solve(
        self, spec: SampleSpec, shared: Provider | None, workspace: Path
    ) -> Transcript:
        options, limits = self.options, spec.task.spec.limits
        if self.provider.session is not None:  # a solver of its own (Claude Code)
            request = SessionRequest(
                model=options.model, options=options.provider_options, agent=spec.agent,
                statement=spec.task.spec.statement, max_turns=limits.turns,
                wall_seconds=limits.wall_seconds, sandbox=self.mode,
            )  # fmt: skip
            return await asyncio.to_thread(self.provider.session, request, workspace)
        provider = sample_provider(options, spec, shared)
        toolbox = Toolbox(workspace, self.mode, Limits(wall_seconds=limits.command_seconds))
        try:
            return await solve(
                provider, options.model, spec.agent.body, spec.task.spec.statement, toolbox,
                max_turns=limits.turns, wall_seconds=limits.wall_seconds, epoch=spec.epoch,
                starter=spec.starter,
            )  # fmt: skip
        finally:
            await asyncio.to_thread(toolbox.close)
            if provider is not shared:
                await provider.aclose()


def run_sample(spec: SampleSpec, options: RunOptions, mode: str) -> SampleScore:
    """One sample, synchronously, outside any run directory's event log (task validation)."""

    async def one() -> SampleScore:
        run = _Run(options, mode, {}, None)
        await run.active.acquire()
        try:
            return await run._solve_and_grade(spec, shared_provider(options, run.limiter))
        finally:
            run.grading.shutdown(wait=False)
            run.rendering.shutdown(wait=False)

    return asyncio.run(one())


def _timed_grade(*args, **kwargs) -> SampleScore:  # type: ignore[no-untyped-def]
    """Grade, recording the time spent grading (not waiting for a grading worker)."""
    from harness.grading.grader import grade_workspace

    started = time.monotonic()
    score = grade_workspace(*args, **kwargs)
    score.score_s = round(time.monotonic() - started, 3)
    return score


def _fresh_workspace(spec: SampleSpec, directory: Path, workspace: Path) -> bool:
    """Render the workspace on its disk quota (harness.sandbox.disk); whether it has one."""
    disk.release(workspace)  # left mounted by a run that was killed
    if directory.exists():
        shutil.rmtree(directory)
    quota = disk.fresh_workspace(workspace)
    try:
        render_workspace(spec.task, spec.starter, workspace)
    except BaseException:
        if quota:
            disk.persist(workspace)
        raise
    return quota


async def _run_samples(run: _Run, specs: list[SampleSpec]) -> dict[tuple, SampleScore]:  # type: ignore[type-arg]
    """Start samples in plan order as slots free up; returns the ones skipped for cost."""
    skipped: dict[tuple, SampleScore] = {}  # type: ignore[type-arg]
    loop = asyncio.get_running_loop()
    loop.set_default_executor(
        ThreadPoolExecutor(max_workers=TOOL_THREADS, thread_name_prefix="tool")
    )
    shared = shared_provider(run.options, run.limiter)
    try:
        await _start_all(run, specs, shared, skipped)
    except BaseExceptionGroup as group:  # a bad input found mid-run: one clear error, not a tree
        raise _first_leaf(group) from None
    finally:
        if shared is not None:
            await shared.aclose()
        run.grading.shutdown(wait=False, cancel_futures=True)
        run.rendering.shutdown(wait=False, cancel_futures=True)
    return skipped


def _first_leaf(group: BaseExceptionGroup) -> BaseException:
    first = group.exceptions[0]
    return _first_leaf(first) if isinstance(first, BaseExceptionGroup) else first


async def _start_all(
    run: _Run, specs: list[SampleSpec], shared: Provider | None, skipped: dict
) -> None:  # type: ignore[type-arg]
    async with asyncio.TaskGroup() as group:
        for order, spec in enumerate(specs):
            await run.active.acquire()
            await run.cost_known()
            if run.api_down:
                run.active.release()
                skipped[spec.key] = SampleScore(
                    task_id=spec.task.id, starter=spec.starter, epoch=spec.epoch, arm=spec.arm, status="skipped",
                    resolved=False, error=SampleError(kind=NOT_RUN, message=_outage_note(run)),
                )  # fmt: skip
                continue
            if run.over_budget():
                run.active.release()
                spent = sum(s.usage.cost_usd for s in run.done.values())
                message = (
                    f"--max-cost {run.options.max_cost}: ${spent:.4f} spent before this sample"
                )
                skipped[spec.key] = SampleScore(
                    task_id=spec.task.id, starter=spec.starter, epoch=spec.epoch, arm=spec.arm, status="skipped",
                    resolved=False, error=SampleError(kind=error_kinds.MAX_COST, message=message),
                )  # fmt: skip
                continue
            run.running += 1
            group.create_task(run.sample(spec, shared, order))


def _outage_note(run: _Run) -> str:
    return (
        f"not run: the API was unavailable for {run.unavailable_streak} samples in a row "
        f"(last: {run.last_unavailable})"
    )


def outage_message(out_dir: Path, streak: int, not_run: int, last_error: str) -> str:
    """The one line `harness run` ends with when the circuit breaker stopped the run."""
    last = " ".join(last_error.split())
    return (
        f"the API was unavailable for {streak} samples in a row (last error: {last}); "
        f"stopped with {not_run} sample(s) not run, report in {out_dir / REPORT}; "
        f"when the API is back, resume with: harness run --resume {out_dir}"
    )


def run_eval(
    options: RunOptions,
    on_sample: Callable[[SampleScore], None] | None = None,
) -> Report:
    """Run every sample not already in the run's events, then write report.json."""
    provider_info(options.model).check(options.model, options.provider_options)
    mode = resolve_mode(options.sandbox)
    if options.score:  # stop before paying for a model if the tests could not run here
        ensure_sandbox(mode)
        if options.db == "postgres":
            from harness.sandbox.postgres import shared_server

            shared_server()
    options.out_dir.mkdir(parents=True, exist_ok=True)
    events_path = options.out_dir / EVENTS
    discard_torn_tail(events_path)
    scores = (
        SampleScore.model_validate(e["score"])
        for e in read_events(events_path)
        if e.get("type") == "sample"
    )
    done = {score.key: score for score in scores}
    started_at = check_identity(options)
    record_prompts(options)
    record_plan(options)
    done = {key: score for key, score in done.items() if score.status != "errored"}  # retried
    pending = [spec for spec in plan(options) if spec.key not in done]
    run = _Run(options, mode, done, on_sample)
    skipped = asyncio.run(_run_samples(run, pending))
    order = {s.key: i for i, s in enumerate(plan(options))}
    chosen = {**done, **skipped}
    samples = sorted((s for k, s in chosen.items() if k in order), key=lambda s: order[s.key])
    report = run_report(options, samples, started_at, mode)
    write_model(options.out_dir / REPORT, report)
    not_run = sum(1 for s in skipped.values() if s.error is not None and s.error.kind == NOT_RUN)
    if not_run:
        raise ApiOutage(
            outage_message(options.out_dir, run.longest_streak, not_run, run.last_unavailable)
        )
    return report
