"""Fakes of the parts of kafka-python's consumer that the runner looks at, for the runner's unit tests."""


class Coordinator:
    """A group coordinator that either has the consumer in a stable group at once or never finds one."""

    def __init__(self, joins: bool = True):
        self.joins = joins

    def stable(self):
        return self.joins

    def coordinator_unknown(self):
        return not self.joins
