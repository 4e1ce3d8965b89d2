"""The command line: one parser, one module per group of commands, exit codes defined once."""
