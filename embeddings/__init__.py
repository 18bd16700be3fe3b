"""Sentence-transformers encoder, model provisioning and the embedding cache."""
