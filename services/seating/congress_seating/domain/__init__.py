"""The seating domain in plain Python: the hall, the seat plan and the placement algorithm."""
