"""Badge QR tokens and invitation PINs, both derived from the service secret.

A QR token is signed and scoped to one congress (the congress id is part of
the signing salt), and carries the badge version so a lost badge can be
re-issued. The PIN is an HMAC of the delegate and badge version, so nothing
secret is stored and a re-issued badge changes the PIN too.
"""
from __future__ import annotations

import hashlib
import hmac

from itsdangerous import BadSignature, URLSafeSerializer


class InvalidBadge(ValueError):
    pass


def _serializer(secret: str, congress_id: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret, salt=f"badge:{congress_id}")


def badge_token(secret: str, congress_id: str, delegate_id: str, version: int) -> str:
    return _serializer(secret, congress_id).dumps({"d": delegate_id, "v": version})


def read_badge_token(secret: str, congress_id: str, token: str) -> tuple[str, int]:
    """``(delegate_id, version)`` of a token of this congress; ``InvalidBadge`` otherwise."""
    try:
        data = _serializer(secret, congress_id).loads(token.strip())
        return str(data["d"]), int(data["v"])
    except (BadSignature, KeyError, TypeError, ValueError):
        raise InvalidBadge("Mã QR không hợp lệ hoặc không thuộc đại hội này") from None


def invitation_pin(secret: str, congress_id: str, delegate_id: str, version: int) -> str:
    digest = hmac.new(secret.encode(), f"pin:{congress_id}:{delegate_id}:{version}".encode(), hashlib.sha256)
    return f"{int.from_bytes(digest.digest()[:8], 'big') % 1_000_000:06d}"


def pin_matches(secret: str, congress_id: str, delegate_id: str, version: int, pin: str) -> bool:
    return hmac.compare_digest(invitation_pin(secret, congress_id, delegate_id, version), pin.strip())
