"""Stage 3: the tool-use loop a model solves a task with, and its sandboxed tools."""
