"""Badge QR tokens and invitation PINs, both derived from the service secret.

A QR token names the delegate and the badge version and carries a MAC scoped to
one congress (the congress id is part of what is signed), so a lost badge can be
re-issued and a badge of another congress is refused. It is short so that a
kiosk webcam reads it at arm's length: ``<delegate id in base32>-<version>-<MAC>``,
upper-case letters and digits only (QR alphanumeric mode, version 3 at level M).
Badges printed before (itsdangerous tokens) are still accepted.
The PIN is an HMAC of the delegate and badge version, so nothing secret is
stored and a re-issued badge changes the PIN too.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import re
import uuid

from itsdangerous import BadSignature, URLSafeSerializer


class InvalidBadge(ValueError):
    pass


def _serializer(secret: str, congress_id: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret, salt=f"badge:{congress_id}")


SHORT_TOKEN = re.compile(r"^([A-Z2-7]{26})-([0-9]{1,6})-([A-Z2-7]{10})$")
MAC_CHARS = 10  # 50 bits of HMAC-SHA256


def _mac(secret: str, congress_id: str, delegate_id: str, version: int) -> str:
    digest = hmac.new(secret.encode(), f"badge:v2:{congress_id}:{delegate_id}:{version}".encode(), hashlib.sha256)
    return base64.b32encode(digest.digest()).decode()[:MAC_CHARS]


def badge_token(secret: str, congress_id: str, delegate_id: str, version: int) -> str:
    """The QR token printed on a badge (the one place tokens are made)."""
    compact = base64.b32encode(uuid.UUID(delegate_id).bytes).decode().rstrip("=")
    return f"{compact}-{version}-{_mac(secret, congress_id, delegate_id, version)}"


def read_badge_token(secret: str, congress_id: str, token: str) -> tuple[str, int]:
    """``(delegate_id, version)`` of a token of this congress; ``InvalidBadge`` otherwise."""
    text = token.strip()
    short = SHORT_TOKEN.match(text.upper())
    if short:
        delegate_id = str(uuid.UUID(bytes=base64.b32decode(short[1] + "======")))
        version = int(short[2])
        if hmac.compare_digest(_mac(secret, congress_id, delegate_id, version), short[3]):
            return delegate_id, version
        raise InvalidBadge("Mã QR không hợp lệ hoặc không thuộc đại hội này")
    try:  # badges printed before the short tokens
        data = _serializer(secret, congress_id).loads(text)
        return str(data["d"]), int(data["v"])
    except (BadSignature, KeyError, TypeError, ValueError):
        raise InvalidBadge("Mã QR không hợp lệ hoặc không thuộc đại hội này") from None


def legacy_badge_token(secret: str, congress_id: str, delegate_id: str, version: int) -> str:
    """The long token of badges printed before; kept only so tests can prove those badges still work."""
    return _serializer(secret, congress_id).dumps({"d": delegate_id, "v": version})


def invitation_pin(secret: str, congress_id: str, delegate_id: str, version: int) -> str:
    digest = hmac.new(secret.encode(), f"pin:{congress_id}:{delegate_id}:{version}".encode(), hashlib.sha256)
    return f"{int.from_bytes(digest.digest()[:8], 'big') % 1_000_000:06d}"


def pin_matches(secret: str, congress_id: str, delegate_id: str, version: int, pin: str) -> bool:
    return hmac.compare_digest(invitation_pin(secret, congress_id, delegate_id, version), pin.strip())
