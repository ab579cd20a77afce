"""Gateway-owned HTTP routes."""
