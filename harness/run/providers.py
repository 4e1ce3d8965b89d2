"""The model of a run's samples: one shared client when the provider shares one, in the
response cache when it can be cached; else one provider per sample."""

from __future__ import annotations

from harness.providers.base import Provider
from harness.providers.limiter import AdaptiveLimiter
from harness.providers.registry import Opening, provider_info
from harness.run.plan import RunOptions, SampleSpec


def shared_provider(options: RunOptions, limiter: AdaptiveLimiter) -> Provider | None:
    """One client for the whole run when the provider shares one (its connection pool), in
    the response cache when it can be cached; None for per-sample providers and solvers."""
    info = provider_info(options.model)
    if not info.shared or info.open is None:
        return None
    opening = Opening(options.model, options.provider_options, limiter=limiter)
    provider = info.open(opening)
    if options.response_cache and info.cacheable:
        from harness.providers.cache import CachedProvider

        provider = CachedProvider(provider)
    return provider


def sample_provider(options: RunOptions, spec: SampleSpec, shared: Provider | None) -> Provider:
    if shared is not None:
        return shared
    info = provider_info(options.model)
    assert info.open is not None, f"{info.name} is a solver, not a provider"
    opening = Opening(
        options.model, options.provider_options, task=spec.task, starter=spec.starter,
        sample_dir=spec.directory,
    )  # fmt: skip
    return info.open(opening)
