"""The notifications service's read models, one file each; its worker runs every one listed here.

users, customers and tenants record the facts e-mails need; mailings records the e-mails events call for;
callers and ended_sessions say who may call the API now.
"""
from . import callers, customers, ended_sessions, mailings, tenants, users

PROJECTIONS = [users.PROJECTION, customers.PROJECTION, tenants.PROJECTION, mailings.PROJECTION, callers.PROJECTION,
               ended_sessions.PROJECTION]
