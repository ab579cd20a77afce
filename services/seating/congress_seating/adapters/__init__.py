"""Adapters: database tables."""
