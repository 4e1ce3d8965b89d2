"""Where supplier price lists are dropped for import."""

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_IMPORT_DIR = PROJECT_ROOT / "imports"

# IMPORT_DIR from the environment (a relative path is taken from the working directory).
IMPORT_DIR = Path(os.environ.get("IMPORT_DIR") or DEFAULT_IMPORT_DIR)
