"""Stage 5: a sample's verdict from its findings and evidence, and the aggregates of a run (pure)."""
