"""Interfaces over the query protocol: CLI, HTTP API and web page."""
