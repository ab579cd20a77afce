"""Shared platform used by every congress service and the gateway."""
