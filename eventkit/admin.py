"""Operator commands for the event kit: `python -m eventkit.admin ensure-topics`."""
from __future__ import annotations

import argparse
import os

import contracts
from eventkit.kafka import ensure_topics


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m eventkit.admin")
    parser.add_argument("command", choices=["ensure-topics"])
    parser.add_argument("--bootstrap", default=os.environ.get("PORTICO_KAFKA_BOOTSTRAP", "127.0.0.1:19092"))
    parser.add_argument("--prefix", default=os.environ.get("PORTICO_TOPIC_PREFIX", ""))
    # A cluster of three brokers: PORTICO_TOPIC_REPLICATION_FACTOR=3 PORTICO_TOPIC_MIN_INSYNC_REPLICAS=2.
    parser.add_argument("--replication-factor", type=int,
                        default=int(os.environ.get("PORTICO_TOPIC_REPLICATION_FACTOR", "1")))
    parser.add_argument("--min-insync-replicas", type=int,
                        default=os.environ.get("PORTICO_TOPIC_MIN_INSYNC_REPLICAS") or None)
    args = parser.parse_args(argv)
    created = ensure_topics(args.bootstrap, contracts.TOPICS, args.prefix, args.replication_factor,
                            args.min_insync_replicas)
    print(f"topics created: {', '.join(created) or 'none (all present)'}")


if __name__ == "__main__":
    main()
