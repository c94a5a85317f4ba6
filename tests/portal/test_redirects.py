"""Wagtail's redirects (`portal.middleware.PublicRedirectMiddleware`): an editor's
redirect from an old public address still answers; an admin 404 looks none up."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.contrib.redirects.models import Redirect

from tests.portal.accounts import make_staff

pytestmark = pytest.mark.django_db


def test_an_old_public_address_redirects_where_the_editor_said(client, home_page):
    Redirect.objects.create(old_path="/jiu-dizhi", redirect_link="/banjian/chaxun/")
    response = client.get("/jiu-dizhi/")
    assert response.status_code == 301
    assert response["Location"] == "/banjian/chaxun/"
    temporary = Redirect.objects.create(
        old_path="/linshi", redirect_link="/", is_permanent=False
    )
    assert client.get("/linshi/").status_code == 302
    temporary.delete()
    assert client.get("/linshi/").status_code == 404


def test_an_admin_404_is_answered_without_a_redirect_lookup(client):
    Redirect.objects.create(old_path="/admin/jiu", redirect_link="/")
    client.force_login(make_staff("clerk1"))
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/admin/jiu/")
    assert response.status_code == 404
    assert not [q for q in queries if "wagtailredirects" in q["sql"]]
