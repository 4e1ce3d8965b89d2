"""The data every stage shares (errors, error kinds, usage, transcripts, the report schema): pure, and importing nothing else of the harness."""
