"""Event-bus adapters behind one interface: in-process, Redis Streams, Kafka."""
from __future__ import annotations

from .base import DEAD_LETTER_TYPE, EventBus, Handler, dead_letter, dead_letter_topic
from .inprocess import InProcessBus


def create_bus(kind: str, *, redis_url: str | None = None, kafka_bootstrap_servers: str | None = None,
               client_name: str = "congress", max_attempts: int = 5, namespace: str = "congress",
               kafka_idempotence: bool = True, kafka_fetch_max_wait_ms: int = 500,
               kafka_session_timeout_ms: int = 10_000, redis_claim_idle_ms: int = 30_000) -> EventBus:
    """Build the adapter named by settings (``inprocess``, ``redis`` or ``kafka``).

    ``namespace`` prefixes stream and topic names, so that several
    installations (or test runs) can share one Redis or Kafka.
    """
    if kind == "inprocess":
        return InProcessBus(max_attempts=max_attempts)
    if kind == "redis":
        from .redis_streams import RedisStreamsBus

        if not redis_url:
            raise ValueError("the Redis bus needs REDIS_URL")
        return RedisStreamsBus(redis_url, consumer_name=client_name, max_attempts=max_attempts,
                               claim_idle_ms=redis_claim_idle_ms,
                               stream_prefix=f"{namespace}:events:")
    if kind == "kafka":
        from .kafka import KafkaBus

        if not kafka_bootstrap_servers:
            raise ValueError("the Kafka bus needs KAFKA_BOOTSTRAP_SERVERS")
        return KafkaBus(kafka_bootstrap_servers, client_id=client_name, max_attempts=max_attempts,
                        topic_prefix=f"{namespace}." if namespace != "congress" else "",
                        enable_idempotence=kafka_idempotence, fetch_max_wait_ms=kafka_fetch_max_wait_ms,
                        session_timeout_ms=kafka_session_timeout_ms)
    raise ValueError(f"unknown bus {kind!r}: use inprocess, redis or kafka")


__all__ = ["DEAD_LETTER_TYPE", "EventBus", "Handler", "InProcessBus", "create_bus", "dead_letter", "dead_letter_topic"]
