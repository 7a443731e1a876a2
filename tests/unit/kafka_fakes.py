"""Fakes of the parts of kafka-python's consumer that the runner looks at, for the runner's unit tests."""
import time


class Coordinator:
    """A group coordinator that either has the consumer in a stable group at once or never finds one."""

    def __init__(self, joins: bool = True):
        self.joins = joins

    def stable(self):
        return self.joins

    def coordinator_unknown(self):
        return not self.joins


class ScriptedConsumer:
    """A consumer that hands over the given polls ({partition: records}) in turn, then stops the runner
    (sets `stop`) and polls nothing; `log` says what was polled and committed, in order."""

    def __init__(self, stop, polls: list[dict], pause: float = 0.0):
        self._coordinator, self.stop, self.polls, self.pause = Coordinator(), stop, list(polls), pause
        self.log: list[str] = []

    def subscribe(self, topics, listener=None):
        pass

    def partitions_for_topic(self, topic):
        return {0}

    def poll(self, timeout_ms=0):
        if not self.polls:
            self.stop.set()
            return {}
        batch = self.polls.pop(0)
        self.log.append("poll " + ",".join(r for records in batch.values() for r in records))
        time.sleep(self.pause)
        return batch

    def commit_async(self):
        self.log.append("commit")

    def commit(self):
        self.log.append("commit at stop")

    def assignment(self):
        return set()

    def close(self, autocommit=True):
        pass
