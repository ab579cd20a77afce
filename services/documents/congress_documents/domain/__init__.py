"""The documents domain in plain Python: who may read what, releases, categories."""
