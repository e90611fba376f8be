"""Schema-driven test of /api/v1/: schemathesis generates requests from the OpenAPI document
and runs them in-process against the Django WSGI application, on a small dataset of
published items, drafts and hidden items.

Deterministic (derandomized) and bounded, so that it runs in seconds on both databases.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis import checks

from opendata.api import api
from tests import factories
from tests.sampling import scaled

CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
    checks.negative_data_rejection,
]


@pytest.fixture
def keep_test_transaction():
    """The WSGI handler would close the connection after each request (as in production),
    which ends the test transaction; Django's own test client avoids that the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def open_data(roadmap, keep_test_transaction, settings):
    settings.ALLOWED_HOSTS = ["localhost"]  # the host schemathesis' WSGI client sends
    return factories.open_data_content(roadmap)


def load_schema():
    """The document /api/v1/openapi.json serves (test_api.py checks that they are equal).

    Loaded without a request: schemathesis' fixture-based loader does not work with pytest 9.
    """
    loaded = schemathesis.openapi.from_dict(api.get_openapi_schema())
    loaded.app = get_wsgi_application()
    return loaded


schema = load_schema()


@schema.parametrize()
@hypothesis_settings(
    max_examples=scaled(15, minimum=5),
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_answers_every_generated_request_as_its_openapi_document_says(case, open_data):
    case.call_and_validate(checks=CHECKS)
