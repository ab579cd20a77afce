"""Documents service: congress documents, agenda and announcements for the delegate app.

Skeleton for now: it keeps its own read model of the roster (its future readers) from check-in events.
"""
