"""The embedded backend: a generation loaded into networkx and numpy in the serving process (store)."""
