"""Face templates and photos are encrypted at rest: AES-256-GCM, the key from settings.

Each sealed value is ``nonce (12 bytes) || ciphertext+tag`` and is bound to its
congress and delegate (associated data), so a row copied onto another delegate
does not decrypt. The key never leaves settings; a missing key refuses to
start outside the embedded demo (``CheckinSettings``).
"""
from __future__ import annotations

import base64
import os

import numpy as np
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

NONCE_BYTES = 12


class SealBroken(ValueError):
    """A sealed value that does not decrypt with this key for this delegate."""


def parse_key(text: str) -> bytes:
    """A key given as base64 (urlsafe or standard) of 32 bytes."""
    padded = text.strip() + "=" * (-len(text.strip()) % 4)
    try:
        key = base64.urlsafe_b64decode(padded.replace("+", "-").replace("/", "_"))
    except ValueError:
        raise ValueError("CONGRESS_FACE_KEY must be base64 of 32 random bytes") from None
    if len(key) != 32:
        raise ValueError(f"CONGRESS_FACE_KEY must be base64 of 32 random bytes (got {len(key)} bytes)")
    return key


def demo_key(secret: str) -> bytes:
    """The embedded demo's key, derived from its secret (never used outside the embedded run)."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"congress face templates").derive(secret.encode())


class TemplateCipher:
    def __init__(self, key: bytes) -> None:
        self._aead = AESGCM(key)

    @staticmethod
    def context(congress_id: str, delegate_id: str) -> bytes:
        return f"face:{congress_id}:{delegate_id}".encode()

    def seal(self, plain: bytes, congress_id: str, delegate_id: str) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return nonce + self._aead.encrypt(nonce, plain, self.context(congress_id, delegate_id))

    def open(self, sealed: bytes, congress_id: str, delegate_id: str) -> bytes:
        try:
            return self._aead.decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], self.context(congress_id, delegate_id))
        except (InvalidTag, ValueError):
            raise SealBroken("a face template does not decrypt with this key") from None

    def seal_encoding(self, encoding: np.ndarray, congress_id: str, delegate_id: str) -> bytes:
        return self.seal(np.asarray(encoding, "<f4").tobytes(), congress_id, delegate_id)

    def open_encoding(self, sealed: bytes, congress_id: str, delegate_id: str) -> np.ndarray:
        return np.frombuffer(self.open(sealed, congress_id, delegate_id), "<f4").astype(np.float64)
