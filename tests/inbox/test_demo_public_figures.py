"""What the demo site shows of consultations, ratings and the provincial overview
(issue 17): `load_demo` on a fresh database gives consultations answered,
published and overdue, ratings with their follow-ups (one closed, one overdue),
and a provincial-office login that reaches the overview; every public path of
these parts is in `/api/v1/openapi.json` and answers with the demo's data."""

import io
import re

import pytest
from django.core.management import call_command
from django.utils import timezone

from disclosure.models import DepartmentPage
from portal.demo import DEMO_PASSWORD
from services_catalog.inbox import codes
from services_catalog.inbox.models import (
    Consultation,
    ConsultationState,
    FollowUpStatus,
    Rating,
    RatingFollowUp,
)

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

PUBLIC_PATHS = [
    "/api/v1/consultations/",
    "/api/v1/consultations/{tracking_number}/",
    "/api/v1/ratings/",
    "/api/v1/departments/",
    "/api/v1/notices/",
]


def test_the_demo_has_what_the_walks_need_and_the_api_serves_it(client):
    call_command("load_demo", stdout=io.StringIO())
    today = timezone.localdate()
    for department in DepartmentPage.objects.all():
        asked = Consultation.objects.filter(department=department)
        assert asked.filter(state=ConsultationState.ANSWERED, public=True).exists()
        assert asked.filter(state=ConsultationState.ANSWERED, public=False).exists()
        assert asked.filter(state=ConsultationState.FORWARDED).exists()
        assert asked.filter(answered_at__isnull=True, due_date__lt=today).exists()

        follow_ups = RatingFollowUp.objects.filter(department=department)
        assert (
            follow_ups.filter(status=FollowUpStatus.CLOSED).exclude(reply="").exists()
        )
        assert follow_ups.filter(RatingFollowUp.overdue_q(today)).exists()
        assert Rating.objects.filter(
            filing__department=department, score__gte=4
        ).exists()

    # The provincial office signs in with the printed password and sees every
    # department side by side.
    assert client.login(username="provincial", password=DEMO_PASSWORD)
    overview = client.get("/admin/zonglan/")
    assert overview.status_code == 200
    for department in DepartmentPage.objects.all():
        assert f'data-department="{department.code}"' in overview.content.decode()
    client.logout()

    # The public paths are documented and answer with the demo's data.
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in PUBLIC_PATHS:
        assert path in paths, path

    department = DepartmentPage.objects.order_by("path").first()
    ratings = client.get(f"/api/v1/ratings/?department={department.code}").json()
    months = [month for month in ratings["months"] if month["count"]]
    assert len(months) >= 2  # the best rating was moved to last month
    assert sum(month["bad"] for month in months) >= 2
    assert sum(month["followed_up"] for month in months) >= 1
    assert all(month["average"] for month in months)

    figures = client.get("/api/v1/departments/").json()["departments"]
    row = next(row for row in figures if row["code"] == department.code)
    assert row["measures_published"] and row["commitments_published"]
    assert row["items"] and row["completed"] and row["ratings"]
    assert 0 < row["follow_up_rate"] < 100  # one follow-up closed, one overdue

    published = client.get("/api/v1/consultations/").json()
    assert published["total"] >= 3 * DepartmentPage.objects.count()
    # The askers' numbers are redacted from the questions they wrote (a bare
    # "139" could be the milliseconds of a timestamp, so look at the text).
    questions = " ".join(result["question"] for result in published["results"])
    assert "[号码已隐去]" in questions
    assert not re.search(r"1[3-9]\d{9}", questions)

    answered = Consultation.objects.filter(
        department=department, state=ConsultationState.ANSWERED
    ).first()
    Consultation.objects.filter(pk=answered.pk).update(
        access_code_hash=codes.hash_access_code(answered.tracking_number, "ABCD2345")
    )
    looked_up = client.get(
        f"/api/v1/consultations/{answered.tracking_number}/?code=ABCD2345"
    ).json()
    assert looked_up["answer"] == answered.answer

    notices = client.get(f"/api/v1/notices/?department={department.code}").json()
    assert {"notice", "measures"} <= {notice["kind"] for notice in notices["results"]}
