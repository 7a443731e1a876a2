"""What every error answer carries besides its problem body.

Found by schemathesis: a problem's `instance` must be a URI reference, so a path with non-ASCII
characters is answered percent-encoded, not raw. Found by the schemathesis CLI: a 405 must say which
methods the resource allows (RFC 9110 15.5.6)."""
import pytest


def test_a_problem_for_a_path_with_non_ascii_characters_names_it_as_a_uri_reference(identity, staff_headers,
                                                                                     tenant):
    answer = identity.get(f"/v1/tenants/{tenant}/customer-imports/§EÒð", headers=staff_headers(tenant))
    assert answer.status_code == 404
    assert answer.json["instance"] == f"/v1/tenants/{tenant}/customer-imports/%C2%A7E%C3%92%C3%B0"


@pytest.mark.parametrize("service, path, allowed", [
    ("identity", "/v1/tenants/{tenant}/auth/login", {"POST", "OPTIONS"}),
    ("invitations", "/v1/tenants/{tenant}/invitation-links/open", {"POST", "OPTIONS"}),
    ("notifications", "/v1/tenants/{tenant}/deliveries", {"GET", "HEAD", "OPTIONS"}),
    ("documents", "/v1/tenants/{tenant}/rfqs", {"POST", "OPTIONS"}),
])
def test_a_method_the_resource_does_not_allow_is_a_405_problem_naming_the_allowed_ones(request, service,
                                                                                      path, allowed, tenant):
    answer = request.getfixturevalue(service).delete(path.format(tenant=tenant))
    assert answer.status_code == 405
    assert answer.mimetype == "application/problem+json" and answer.json["code"] == "request.method_not_allowed"
    assert {m.strip() for m in answer.headers["Allow"].split(",")} >= allowed
