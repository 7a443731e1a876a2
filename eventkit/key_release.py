"""A consumer's source of people's data keys (issue 17): identity's audited key release, over HTTP.

Keys are asked for once per person and kept a short while (`max_age`), so a batch of events about the
same people costs one request, and a person forgotten stops opening within that time at the latest;
`drop` forgets a key at once (the consumer drops it when it reads the person's forgotten event, which
follows all their events in their stream). Keys live in this process's memory only, never on disk.
While identity cannot be reached the consumer waits (up to `patience` seconds) rather than give up an event.

A producer that seals a person's values (invitations, notifications) asks `for_sealing`: identity makes the key
of a person who has none yet (their events predate sealing), never of a forgotten one, and says who is no person
at all (a company), whose values stay in clear. Those answers are not cached: each append asks once.
"""
from __future__ import annotations

import base64
import json
import threading
import time
import urllib.request
from typing import Callable, Iterable
from urllib.error import HTTPError, URLError


class KeyReleaseUnavailable(ConnectionError):
    """Identity's key release did not answer within the patience: nothing sealed or opened was written.
    A web request answers 503 with Retry-After (eventkit/problems.py); a consumer starts over from its
    stored offsets, as after any outage (eventkit/consumer.py), rather than dead-letter what it could not open."""


class KeyRelease:
    def __init__(self, identity_url: str, token: str, max_age: float = 60.0, timeout: float = 5.0,
                 patience: float = 30.0, clock: Callable[[], float] = time.monotonic):
        if not token:
            raise RuntimeError("PORTICO_PERSONAL_DATA_TOKEN is not set: the consumers need it to open people's "
                               "values (deploy/local/keys.sh makes one per service).")
        self.url, self.token = identity_url.rstrip("/"), token
        self.max_age, self.timeout, self.patience, self.clock = max_age, timeout, patience, clock
        self._cache: dict[tuple[str, str], tuple[float, bytes | None]] = {}
        self._lock = threading.Lock()

    @classmethod
    def from_config(cls, config: dict) -> "KeyRelease":
        return cls(config["IDENTITY_URL"], config.get("PERSONAL_DATA_TOKEN"))

    def __call__(self, tenant_id: str, subjects: Iterable[str]) -> dict[str, bytes | None]:
        now, subjects = self.clock(), list(subjects)
        with self._lock:
            fresh = {s: hit[1] for s in subjects if (hit := self._cache.get((tenant_id, s))) and now - hit[0] < self.max_age}
        missing = [s for s in subjects if s not in fresh]
        if missing:
            released = self._release(tenant_id, missing)
            with self._lock:
                for subject in missing:
                    self._cache[(tenant_id, subject)] = (now, released.get(subject))
            fresh.update({s: released.get(s) for s in missing})
        return fresh

    def for_sealing(self, tenant_id: str, subjects: Iterable[str]) -> tuple[dict[str, bytes], set[str]]:
        """The keys to seal those people's values with (made if need be), and who of them is forgotten;
        a subject in neither is nobody's personal data."""
        answer = self._post(tenant_id, {"subjects": sorted(set(subjects)), "make": True})
        keys = {s: base64.b64decode(k) for s, k in answer["keys"].items() if k}
        return keys, set(answer.get("forgotten", ())) - set(keys)

    def drop(self, tenant_id: str, subject: str) -> None:
        with self._lock:
            self._cache.pop((tenant_id, subject), None)

    def _release(self, tenant_id: str, subjects: list[str]) -> dict[str, bytes | None]:
        keys = self._post(tenant_id, {"subjects": subjects})["keys"]
        return {s: base64.b64decode(k) if k else None for s, k in keys.items()}

    def _post(self, tenant_id: str, body: dict) -> dict:
        request = urllib.request.Request(
            f"{self.url}/v1/tenants/{tenant_id}/personal-data/keys", method="POST",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {self.token}"})
        give_up, wait = self.clock() + self.patience, 0.2
        while True:
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 (configured)
                    return json.load(response)
            except HTTPError as error:
                if error.code < 500:
                    raise
                if self.clock() > give_up:
                    raise KeyReleaseUnavailable(f"identity's key release answered {error.code}") from error
            except (URLError, OSError) as error:
                if self.clock() > give_up:
                    raise KeyReleaseUnavailable(f"identity's key release is not answering: {error}") from error
            time.sleep(wait)
            wait = min(wait * 2, 5.0)
