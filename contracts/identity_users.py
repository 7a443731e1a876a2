"""Events the identity service publishes about users, on portico.identity, keyed by `user-<user_id>`
(a session's end by `session-<session_id>`).

Portal users are the customer's people (kind "management" or "staff": a staff-kind user never sees
costs, prices, totals or balances, whatever its areas). Staff users are the distributor's own people
(roles system-administrator, in-house, sales-rep). Both log in the same way, so the lifecycle events
(password, lock, disable, enable, delete) are shared and say which `user_type` they are about.

No event ever holds a password or its hash. A one-time link token appears only sealed for the
notifications service (`eventkit.sealed`, with the context named below): it opens it, builds the
link and forgets it.
"""
from marshmallow import fields, validate

from eventkit.patterns import FullMatch
from eventkit.sealed import PATTERN as SEALED_PATTERN

from .catalogue import EventContract
from .fields import StrictSchema, emails
from .identity import sealed_since_v2
from .personal import Personal
from .topics import IDENTITY

PORTAL_KINDS = ("management", "staff")
USER_TYPES = ("portal", "staff")
# Seed 002/003: each access area grants one security role; "all" (input only) means every area.
AREAS = ("quotes", "orders", "invoices", "ar_statements", "shipments")
AREA_ROLES = {area: f"portal.{area}" for area in AREAS}
STAFF_ROLES = ("system-administrator", "in-house", "sales-rep")
# Sealing contexts: the notifications service opens each token with the one its event names.
SET_PASSWORD_CONTEXT = "portico.identity.set-password"
PASSWORD_RESET_CONTEXT = "portico.identity.password-reset"


def _sealed(context: str, **kwargs):
    return fields.String(validate=FullMatch(SEALED_PATTERN), metadata={
        "description": f"one-time token sealed for the notifications service (eventkit.sealed, context "
                       f"'{context}'); never plain"}, **kwargs)


def _text(max_length: int, **kwargs):
    return fields.String(validate=validate.Length(min=1, max=max_length), **kwargs)


class UserRef(StrictSchema):
    user_id = fields.UUID(required=True)
    username = _text(100, required=True, metadata={"description": "unique per tenant, case-insensitively"})


class LifecycleRef(UserRef):
    user_type = fields.String(required=True, validate=validate.OneOf(USER_TYPES))


class PortalUserFields(UserRef):
    kind = fields.String(required=True, validate=validate.OneOf(PORTAL_KINDS))
    customer_id = fields.UUID(required=True)
    customer_code = _text(50, required=True)
    contact_id = fields.UUID(required=True, allow_none=True)
    receivable_account = _text(50, required=True)
    emails = emails(required=True)
    areas = fields.List(fields.String(validate=validate.OneOf(AREAS)), required=True)
    own_orders_only = fields.Boolean(required=True, metadata={"description": "sees only the orders it placed"})


class UserCreated(PortalUserFields):
    welcome_email_requested = fields.Boolean(required=True)
    password_setup = fields.String(required=True, validate=validate.OneOf(("initial_password", "link")), metadata={
        "description": "initial_password: staff gave one, to be changed at first login (it is never sent); "
                       "link: send the set-password link"})
    set_password_token = _sealed(SET_PASSWORD_CONTEXT, required=True, allow_none=True)
    set_password_expires_at = fields.DateTime(required=True, allow_none=True)
    paired_with = fields.UUID(required=True, allow_none=True, metadata={
        "description": "for the staff-kind user of a management/staff pair, the management user's id"})


class UserRegistered(PortalUserFields):
    first_name = _text(100, required=True)
    last_name = _text(100, required=True)
    business_name = _text(200, required=True, allow_none=True)
    source = fields.String(required=True, validate=validate.OneOf(("self", "invitation")))
    invitation_id = fields.UUID(required=True, allow_none=True)


class UserApproved(UserRef):
    customer_id = fields.UUID(required=True)


class UserDeleted(LifecycleRef):
    customer_id = fields.UUID(required=True, allow_none=True)
    reason = fields.String(required=True, allow_none=True, validate=validate.Length(max=500))


class UserDisabled(LifecycleRef):
    reason = fields.String(required=True, allow_none=True, validate=validate.Length(max=500))


class PasswordSet(LifecycleRef):
    via = fields.String(required=True, validate=validate.OneOf(("set_password_link", "reset_link")))


class PasswordChanged(LifecycleRef):
    forced = fields.Boolean(required=True, metadata={"description": "the initial password changed at first login"})


class PasswordResetRequested(LifecycleRef):
    emails = emails(required=True)
    reset_token = _sealed(PASSWORD_RESET_CONTEXT, required=True)
    expires_at = fields.DateTime(required=True)


class RoleChanged(UserRef):
    area = fields.String(required=True, validate=validate.OneOf(AREAS))
    role = fields.String(required=True, validate=validate.OneOf(tuple(AREA_ROLES.values())))


class OwnOrdersOnlyChanged(UserRef):
    own_orders_only = fields.Boolean(required=True)


class UserLocked(LifecycleRef):
    failed_attempts = fields.Integer(required=True, validate=validate.Range(min=1))
    locked_until = fields.DateTime(required=True)


SECOND_FACTOR_METHODS = ("totp", "passkey")


class SecondFactorEnrolled(LifecycleRef):
    method = fields.String(required=True, validate=validate.OneOf(SECOND_FACTOR_METHODS), metadata={
        "description": "totp: an authenticator app (RFC 6238); passkey: a WebAuthn credential"})


class SecondFactorRemoved(LifecycleRef):
    method = fields.String(required=True, validate=validate.OneOf(SECOND_FACTOR_METHODS))
    removed_by = fields.String(required=True, validate=validate.OneOf(("user", "staff")), metadata={
        "description": "user: the user removed it themselves; staff: an in-house user did (a lost device)"})


class RecoveryCodeUsed(LifecycleRef):
    remaining = fields.Integer(required=True, validate=validate.Range(min=0), metadata={
        "description": "recovery codes the user has left"})


class StaffUserFields(UserRef):
    name = _text(200, required=True)
    emails = emails(required=True)
    roles = fields.List(fields.String(validate=validate.OneOf(STAFF_ROLES)), required=True,
                        validate=validate.Length(min=1))
    sales_rep = fields.String(required=True, allow_none=True, validate=validate.Length(min=1, max=50), metadata={
        "description": "the sales rep code customers carry in sales_rep; set when roles include sales-rep"})


class StaffUserCreated(StaffUserFields):
    password_setup = fields.String(required=True, validate=validate.OneOf(("initial_password", "link")))
    set_password_token = _sealed(SET_PASSWORD_CONTEXT, required=True, allow_none=True)
    set_password_expires_at = fields.DateTime(required=True, allow_none=True)


class StaffRolesChanged(UserRef):
    roles = fields.List(fields.String(validate=validate.OneOf(STAFF_ROLES)), required=True)
    sales_rep = fields.String(required=True, allow_none=True, validate=validate.Length(min=1, max=50))


class SessionEnded(LifecycleRef):
    session_id = fields.UUID(required=True, metadata={
        "description": "the `sid` claim of the session's access tokens: refuse them from now on"})
    reason = fields.String(required=True, validate=validate.OneOf(("logout", "refresh_token_reused")), metadata={
        "description": "logout: the user logged out; refresh_token_reused: a spent refresh token came back "
                       "(theft), so the whole session is void"})


# v2 (issue 17): a portal user's e-mail addresses and names are sealed for the user (user-<user_id>).
class UserCreatedV2(UserCreated):
    emails = Personal(emails(), forgotten=[], required=True)


class UserRegisteredV2(UserRegistered):
    emails = Personal(emails(), forgotten=[], required=True)
    first_name = Personal(_text(100), required=True)
    last_name = Personal(_text(100), required=True)


class PasswordResetRequestedV2(PasswordResetRequested):
    emails = Personal(emails(), forgotten=[], required=True)


def _user_event(verb: str, schema, description: str, aggregate: str = "user", version: int = 1,
                upcast=None) -> EventContract:
    return EventContract(type=f"portico.identity.{aggregate}.{verb}", version=version, owner="identity",
                         topic=IDENTITY, key="stream id: user-<user_id>", schema=schema, description=description,
                         upcast=upcast)


_SEALED_V2 = " v2: the portal user's personal fields (x-portico-personal) are sealed for the user."


CONTRACTS = [
    _user_event("created", UserCreated, "Staff created a portal user for a customer; it can log in once its "
                "password is set. A management/staff pair is two of these.", upcast=sealed_since_v2),
    _user_event("created", UserCreatedV2, "Staff created a portal user for a customer; it can log in once its "
                "password is set. A management/staff pair is two of these." + _SEALED_V2, version=2),
    _user_event("registered", UserRegistered, "Someone registered (by themselves or from an invitation); "
                "the user is pending approval and cannot log in yet.", upcast=sealed_since_v2),
    _user_event("registered", UserRegisteredV2, "Someone registered (by themselves or from an invitation); "
                "the user is pending approval and cannot log in yet." + _SEALED_V2, version=2),
    _user_event("approved", UserApproved, "An administrator approved a registered user; it can now log in."),
    _user_event("deleted", UserDeleted, "The user was deleted; its username no longer counts for the customer."),
    _user_event("disabled", UserDisabled, "The user may no longer log in until enabled again."),
    _user_event("enabled", LifecycleRef, "A disabled user may log in again."),
    _user_event("password_set", PasswordSet, "The user set a password through a set-password or reset link."),
    _user_event("password_changed", PasswordChanged, "The user changed their password, giving the current one."),
    _user_event("password_reset_requested", PasswordResetRequested,
                "Someone asked for a reset link for this user; send it to `emails`. Valid until expires_at.",
                upcast=sealed_since_v2),
    _user_event("password_reset_requested", PasswordResetRequestedV2,
                "Someone asked for a reset link for this user; send it to `emails`. Valid until expires_at."
                + _SEALED_V2, version=2),
    _user_event("role_granted", RoleChanged, "An access area was given to a portal user: one event per role."),
    _user_event("role_revoked", RoleChanged, "An access area was taken from a portal user: one event per role."),
    _user_event("own_orders_only_changed", OwnOrdersOnlyChanged,
                "Whether the portal user sees only the orders it placed itself (seed 002)."),
    _user_event("locked", UserLocked, "Too many failed logins: no login succeeds until locked_until."),
    _user_event("second_factor_enrolled", SecondFactorEnrolled,
                "The user added a second factor; from now on a login needs it after the password. The secret or "
                "public key is never in the event."),
    _user_event("second_factor_removed", SecondFactorRemoved, "A second factor of the user was removed."),
    _user_event("recovery_code_used", RecoveryCodeUsed,
                "The user logged in with one of their recovery codes instead of their second factor (each works "
                "once)."),
    _user_event("created", StaffUserCreated, "A staff user (the distributor's own people) was created.",
                aggregate="staff_user"),
    _user_event("roles_changed", StaffRolesChanged, "A staff user's roles or sales rep code changed; the full new "
                "set.", aggregate="staff_user"),
    EventContract(type="portico.identity.session.ended", version=1, owner="identity", topic=IDENTITY,
                  key="stream id: session-<session_id>", schema=SessionEnded,
                  description="A login session ended before its tokens expired: every service refuses the "
                              "access tokens whose `sid` is this session_id at once."),
]
