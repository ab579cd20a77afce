"""Seating service: hall plans, placement of delegations and the presidium, each delegate's seat.

Skeleton for now: it keeps its own read model of the roster from check-in events.
"""
