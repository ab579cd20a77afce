"""The ``congress`` command: run the system embedded or distributed, benchmarks, the event catalogue."""
