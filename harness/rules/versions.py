"""The Python versions the checker parses, without importing a parser (cached runs)."""

from __future__ import annotations

import sys

# The newest syntax libcst's native parser reads (libcst>=1.8.5: PEP 695, 701, 750, 758).
NEWEST_PYTHON = (3, 14)
RUNNING_PYTHON = sys.version_info[:2]
# The message prefix of an ARCH000 for a file no Python accepts (messages name versions).
SYNTAX_ERROR = "Syntax error"
