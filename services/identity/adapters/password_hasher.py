"""argon2id password hashing (argon2-cffi); the cost comes from configuration."""
from __future__ import annotations

from argon2 import PasswordHasher as Argon2
from argon2 import Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError


class PasswordHasher:
    def __init__(self, time_cost: int, memory_cost_kib: int, parallelism: int):
        self._argon2 = Argon2(time_cost=time_cost, memory_cost=memory_cost_kib, parallelism=parallelism,
                              type=Type.ID)
        # Verified against when the username is unknown, so that both cases cost the same time.
        self._decoy = self._argon2.hash("decoy password nobody has")

    def hash(self, password: str) -> str:
        return self._argon2.hash(password)

    def verify(self, password_hash: str | None, password: str) -> bool:
        try:
            return self._argon2.verify(password_hash or self._decoy, password) and password_hash is not None
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, password_hash: str) -> bool:
        """True after the configured cost changed: the login rehashes with the new one."""
        return self._argon2.check_needs_rehash(password_hash)
