"""`harness check`: discovery, configuration, caching and parallel runs around the rules."""
