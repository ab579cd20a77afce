"""HTTP entry points of the check-in service."""
