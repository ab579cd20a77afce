"""Check-in service: congresses, delegates, roster import and check-in."""
