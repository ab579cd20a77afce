"""Pure domain logic of the check-in service (no web or database imports)."""
