"""The key store in identity's database (issue 17): one key per subject, made once, and gone for good when
the subject is forgotten, so the same ciphertext then opens to the marker."""
import os
import uuid

from identity.adapters.subject_keys import FORGOTTEN, KeyWrapper, forget, key_of, open_value, seal


def test_a_forgotten_subject_has_no_key_and_its_values_read_as_the_marker(identity_app, tenant):
    wrapper, subject = KeyWrapper(os.urandom(32)), f"contact-{uuid.uuid4()}"
    with identity_app.extensions["identity"].pool.connection() as conn:
        key = key_of(conn, wrapper, tenant, subject)
        assert key_of(conn, wrapper, tenant, subject) == key  # made once
        sealed = seal(key, tenant, subject, "first_name", "Ada")
        stored = conn.execute("SELECT wrapped_key FROM subject_keys WHERE tenant_id = %s AND subject = %s",
                              (tenant, subject)).fetchone()["wrapped_key"]
        assert key not in bytes(stored)  # only wrapped
        assert forget(conn, tenant, subject, "asked to be forgotten") is True
        assert forget(conn, tenant, subject, "again") is False
        assert key_of(conn, wrapper, tenant, subject) is None  # never made again
        assert open_value(key_of(conn, wrapper, tenant, subject), tenant, "first_name", sealed) == FORGOTTEN
