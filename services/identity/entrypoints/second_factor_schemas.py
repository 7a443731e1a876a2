"""Request and answer bodies of the second-factor endpoints (issue 19)."""
from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from ..domain.second_factors import METHODS
from .user_answers import Tokens
from .user_schemas import Body

LOGIN_TOKEN = {"description": "from the 403 auth.second_factor_required or auth.second_factor_enrolment_required "
                              "answer of the login (valid 5 minutes)"}


def _login_token(**kwargs):
    return fields.String(validate=validate.Length(min=1, max=200), metadata=LOGIN_TOKEN, **kwargs)


def _code(**kwargs):
    return fields.String(validate=validate.Length(min=1, max=20), metadata={
        "description": "the 6 digits the authenticator app shows now"}, **kwargs)


class VerifyBody(Body):
    login_token = _login_token(required=True)
    code = _code()
    recovery_code = fields.String(validate=validate.Length(min=1, max=40), metadata={
        "description": "one of the recovery codes shown when the second factor was set up; each works once"})

    @validates_schema
    def _one_proof(self, data, **kwargs):
        if ("code" in data) == ("recovery_code" in data):
            raise ValidationError("Send either code or recovery_code.", "code")


class EnrolmentBody(Body):
    login_token = _login_token(required=True)


class ConfirmTotpBody(Body):
    code = _code(required=True)


class EnrolmentConfirmBody(ConfirmTotpBody):
    login_token = _login_token(required=True)


class MethodPath(Schema):
    method = fields.String(required=True, validate=validate.OneOf(METHODS))


class TotpSetup(Schema):
    secret = fields.String(required=True, metadata={"description": "base32, for apps that cannot scan the QR code"})
    otpauth_uri = fields.String(required=True, metadata={"description": "what the QR code holds"})
    qr_svg = fields.String(required=True, metadata={"description": "the QR code as inline SVG markup"})


class Enrolled(Schema):
    second_factors = fields.List(fields.String(), required=True)
    recovery_codes = fields.List(fields.String(), required=True, metadata={
        "description": "shown only now, only for the first factor set up: keep them safe, each works once"})
    tokens = fields.Nested(Tokens, allow_none=True, metadata={
        "description": "with a login_token: the login's tokens, as auth/login answers them"})


class RecoveryCodes(Schema):
    recovery_codes = fields.List(fields.String(), required=True, metadata={
        "description": "shown only now: keep them safe, each works once; the earlier ones no longer work"})


class SecondFactors(Schema):
    methods = fields.List(fields.String(), required=True)
    passkeys = fields.Integer(required=True)
    recovery_codes_left = fields.Integer(required=True)
    policy = fields.String(required=True, metadata={"description": "the tenant's second_factor_policy"})
