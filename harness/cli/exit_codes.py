"""The exit codes of every command, defined once: 0 done, 1 the check or a gate failed,
2 bad input (one line on stderr saying what to fix), 130 interrupted."""

EXIT_OK, EXIT_FAILED, EXIT_INPUT, EXIT_INTERRUPTED = 0, 1, 2, 130
