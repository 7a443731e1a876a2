"""Portico's reference frontend: the staff console and the customer portal, built only on the
services' public HTTP APIs (the same a distributor's own portal would call)."""
