"""Adapters: database tables and queries."""
