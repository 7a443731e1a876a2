-- The identity service's own tables besides the event kit's (events, outbox, ...).
-- Customers are event-sourced: their state is their stream, so nothing else is needed yet.
SELECT 1;
