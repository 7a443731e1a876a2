"""Errors the event kit raises; each has a stable code that the HTTP layer and logs carry."""


class EventKitError(Exception):
    code = "eventkit.error"


class ConcurrencyConflict(EventKitError):
    """Someone else changed the stream since the caller read it."""

    code = "stream.version_conflict"

    def __init__(self, stream_id: str, expected: int, actual: int):
        super().__init__(f"stream {stream_id} is at version {actual}, not {expected}")
        self.stream_id, self.expected, self.actual = stream_id, expected, actual


class ContractViolation(EventKitError):
    """An event's data does not match its published schema."""

    code = "event.contract_violation"

    def __init__(self, event_type: str, version: int, errors: dict):
        super().__init__(f"{event_type} v{version} does not match its schema: {errors}")
        self.event_type, self.version, self.errors = event_type, version, errors


class UnknownEventType(EventKitError):
    code = "event.unknown_type"
