"""Parsers, one per document form. They know documents, not the store."""
