"""Domain model, ingestion, the store protocol and its backends."""
