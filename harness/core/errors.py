"""The harness's exceptions, raised only at the edges and turned into exit codes in cli.py.

HarnessError
 └── InputError            exit 2: bad input, one line on stderr saying what to fix
      ├── MalformedFile    a config, agent, task or report file that cannot be read
      ├── UnknownRule      --select/--ignore/config names a rule that does not exist
      ├── UnknownAgent     --agent names no agent file (or no such git revision)
      ├── UnknownTask      --task/--tasks names no task
      ├── UnknownModel     --model is neither a known alias, a full id nor an offline provider
      ├── MissingApiKey    a real model was asked for without ANTHROPIC_API_KEY
      └── PathNotFound     a PATH argument that does not exist
 ├── ProviderError        the model API failed a call (the sample is errored, the run goes on)
 │    ├── ProviderRefused     a 4xx other than 429: the request itself is wrong
 │    ├── ProviderUnavailable retries exhausted on 429/5xx/timeouts/dropped connections
 │    └── ApiOutage          so many samples in a row were ProviderUnavailable that the run
 │                           stopped starting samples (exit 2: resume once the API is back)
 └── SandboxError         the sandbox could not be set up (not: the code in it failed)
"""

from __future__ import annotations


class HarnessError(Exception):
    """Base of every error the harness raises on purpose."""


class InputError(HarnessError):
    """The user gave something the harness cannot use; the message says what to fix."""


class MalformedFile(InputError):
    """Raised when a file the user points at cannot be parsed or fails validation."""


class UnknownRule(InputError):
    """Raised when a rule selector matches no rule code, prefix or slug."""


class PathNotFound(InputError):
    """Raised when a path given on the command line does not exist."""


class UnknownAgent(InputError):
    """Raised when an agent name, path or revision does not resolve to a file."""


class UnknownTask(InputError):
    """Raised when a task id or pattern matches no task folder."""


class UnknownModel(InputError):
    """Raised when a model name is not an alias, a full id or an offline provider."""


class SandboxError(HarnessError):
    """Raised when the sandbox itself cannot run (bwrap broken, workspace unwritable)."""


class MissingApiKey(InputError):
    """Raised when a real model is requested and ANTHROPIC_API_KEY is not set."""


class ProviderError(HarnessError):
    """Raised by a provider when a call fails; the runner records the sample as errored."""


class ProviderRefused(ProviderError):
    """Raised at once for a 4xx other than 429: retrying the same request cannot help."""


class ProviderUnavailable(ProviderError):
    """Raised when 429, 5xx, timeouts or dropped connections outlast the retries."""


class ApiOutage(ProviderError):
    """Raised by the runner, after writing the report, when it stopped a run early because
    the API stayed unavailable; the message names the run directory to resume."""
