"""The run: samples planned, solved, graded and scored into a run directory; shards and their merge."""
