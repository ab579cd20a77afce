"""API gateway: one entry point on port 8000 for the services, the live stream and the web UI."""
