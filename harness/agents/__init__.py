"""Stage 1: the agent under test, read from a Claude Code subagent file."""
