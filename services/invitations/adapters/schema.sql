-- The invitations service's own tables besides the event kit's (events, outbox, ...).
-- Projection tables are created from each projection's own DDL (adapters/projections/*.py),
-- so that a rebuild can make a fresh copy beside the serving one.
SELECT 1;
