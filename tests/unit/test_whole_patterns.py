"""Every pattern matches the whole value (issue 14): Python's `$` also matches before a final line break."""
import pytest
from marshmallow import ValidationError

from contracts.document_fields import DECIMAL_PATTERN
from eventkit.consistency import TOKEN, ReadAfterQuery
from eventkit.patterns import FullMatch
from eventkit.requests import _TENANT
from eventkit.sealed import PATTERN as SEALED
from identity.domain.user_errors import InvalidUsername
from identity.domain.usernames import check
from identity.entrypoints.schemas import CustomerCodePath


@pytest.mark.parametrize("pattern, good", [(_TENANT.pattern, "red"), (DECIMAL_PATTERN, "12.50"),
                                           (SEALED, "v1.abc.def"), (TOKEN.pattern, "portico.identity:0:12")])
def test_a_value_with_a_trailing_line_break_is_refused_where_the_value_itself_passes(pattern, good):
    check_whole = FullMatch(pattern)
    assert check_whole(good) == good
    with pytest.raises(ValidationError):
        check_whole(good + "\n")


def test_schemas_and_checks_refuse_a_trailing_line_break():
    with pytest.raises(ValidationError):
        CustomerCodePath().load({"code": "ACME01\n"})
    with pytest.raises(ValidationError):
        ReadAfterQuery().load({"after": "portico.identity:0:12\n"})
    with pytest.raises(InvalidUsername):
        check("john\nsmith")
    assert _TENANT.fullmatch("red\n") is None
