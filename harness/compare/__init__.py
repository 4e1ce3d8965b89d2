"""Two sets of samples compared: deltas, intervals, verdicts, and their renderings."""
