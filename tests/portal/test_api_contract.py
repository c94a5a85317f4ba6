"""The public API keeps its OpenAPI document (DESIGN §9, issue 12).

schemathesis reads `/api/v1/openapi.json` and, for every operation, generates
requests that the document says are valid and requests it says are not, and sends
them to the site in-process (WSGI) with a catalog item, filings and a published
roster in the database. Every default check applies: no server error, only
documented status codes, content types and headers, every body as its schema
declares, valid requests accepted and invalid ones refused. Requests no generator
would guess (a real item code; a filing's number and code in each stage of the
licensing clock) are checked the same way, so the bodies of found objects are
held to their schema too.

Rules that span two parameters cannot be written in the document's JSON Schema;
they are stated in the operation's description, and the valid requests generated
here keep to them (`keeps_documented_rules`). The refusals themselves are tested
with the endpoints (tests/reception/test_api.py, tests/portal/test_workdays_api.py).
"""

import datetime
import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, assume, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from portal.api import LAST_DAY
from reception.api import MAX_RANGE_DAYS
from reception.models.roster import Slot
from services_catalog.inbox import workflow
from services_catalog.inbox.models import MaterialStatus
from tests.conftest import lift_rate_limits
from tests.inbox.builders import Office
from tests.reception.conftest import make_leader, make_period

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

EXAMPLES = int(os.environ.get("API_CONTRACT_EXAMPLES", 50))
"""Requests per operation and mode; the whole run stays well under a minute."""


@pytest.fixture
def office(home_page, settings):
    lift_rate_limits(settings)
    office = Office(home_page)
    leader = make_leader(office.department, "赵一")
    today = timezone.localdate()
    make_period(
        office.department, today, today, entries=[(today, Slot.MORNING, leader)]
    )
    return office


@pytest.fixture
def _connection_kept_across_requests():
    """The requests go through Django's WSGI handler, which closes the database
    connection when a request finishes; inside the test's transaction that would
    close it for good (PostgreSQL). Django's test client keeps it open the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(office, _connection_kept_across_requests):
    return schemathesis.openapi.from_wsgi(
        "/api/v1/openapi.json", get_wsgi_application()
    )


def filings_in_each_stage(office):
    """A filing waiting for a supplement, one accepted and extended, one in a
    special procedure, and one issued under a register number."""
    supplement = office.submit()
    workflow.request_supplement(
        supplement,
        office.clerk,
        [
            workflow.ChecklistEntry(material, MaterialStatus.MISSING, "未盖章")
            for material in supplement.materials.all()
        ],
    )
    extended = office.assigned()
    workflow.extend_filing(extended, office.director, "需要现场核查。")
    suspended = office.assigned()
    workflow.start_handling(suspended, office.lead_handler)
    workflow.suspend_filing(
        suspended, office.lead_handler, "expert_review", "组织专家评审", 15
    )
    issued = office.assigned()
    workflow.complete_filing(issued, office.lead_handler, "approved")
    workflow.issue_result(issued, office.clerk, "pickup")
    return [supplement, extended, suspended, issued]


def _date(query, name):
    try:
        return datetime.date.fromisoformat(str(query.get(name)))
    except ValueError:
        return None


def keeps_documented_rules(case):
    """Whether a generated request keeps the rules the descriptions state across
    parameters: a roster range from start to end of at most 366 days; a due date
    of `workdays/add` inside the calendar (a working day takes fewer than two
    calendar days)."""
    query = case.query or {}
    if case.operation.path == "/api/v1/roster/":
        start = _date(query, "start") or timezone.localdate()
        end = _date(query, "end") or start + datetime.timedelta(days=13)
        return start <= end and (end - start).days < MAX_RANGE_DAYS
    if case.operation.path == "/api/v1/workdays/add":
        start, days = _date(query, "start"), query.get("days")
        if start is not None and isinstance(days, int):
            return start + datetime.timedelta(days=2 * days) <= LAST_DAY
    return True


def reaches_the_wire(case):
    """Whether a generated invalid request is sent as generated. A query string
    holds no objects: a query parameter made an object is sent as its keys (one
    key becomes a plain, possibly valid, value; a key whose value is empty is
    dropped, and the parameter with it), so schemathesis would hold a valid
    request to be refused (schemathesis/schemathesis#4600). A parameter given
    twice is refused, and tested so, in tests/portal/test_hostile_input.py."""
    return not any(isinstance(value, dict) for value in (case.query or {}).values())


def check(operation, mode):
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        if mode is GenerationMode.POSITIVE:
            assume(keeps_documented_rules(case))
        else:
            assume(reaches_the_wire(case))
        case.call_and_validate()

    run()


def test_found_objects_are_answered_as_documented(api_schema, office):
    filings = filings_in_each_stage(office)
    lookup = api_schema["/api/v1/filings/{tracking_number}/"]["GET"]
    for filing in filings:
        response = lookup.Case(
            path_parameters={"tracking_number": filing.tracking_number},
            query={"code": filing.access_code},
        ).call_and_validate()
        assert response.status_code == 200, filing.state
    year = timezone.localdate().year
    assert response.json()["outgoing_number"] == f"吉市监许〔{year}〕1号"
    item = api_schema["/api/v1/items/{code}/"]["GET"]
    found = item.Case(path_parameters={"code": office.item.code}).call_and_validate()
    assert found.json()["code"] == office.item.code
    roster = api_schema["/api/v1/roster/"]["GET"].Case().call_and_validate()
    assert [entry["leader"]["name"] for entry in roster.json()["entries"]] == ["赵一"]


def test_every_operation_keeps_its_documented_contract(api_schema):
    failures = []
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 6, "the document lists the API's operations"
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                check(operation, mode)
            except Unsatisfiable:
                # Every value the document allows is valid (a free-text path
                # parameter): there is no invalid request to send.
                if mode is GenerationMode.POSITIVE:
                    raise
            except BaseException as error:  # schemathesis groups its failures
                if isinstance(error, KeyboardInterrupt):
                    raise
                failures.append(f"{operation.label} ({mode}):\n{error}")
    assert not failures, "\n\n".join(failures)
