"""The admin carries the portal's name, not the CMS's."""

import pytest


@pytest.mark.django_db
def test_login_and_dashboard_are_branded(client, django_user_model):
    login = client.get("/admin/login/").content.decode()
    assert "<title>登录 - 窗口办公管理后台</title>" in login
    assert "登录窗口办公管理后台" in login

    user = django_user_model.objects.create_superuser("root", password="x")
    client.force_login(user)
    dashboard = client.get("/admin/").content.decode()
    assert "- 窗口办公管理后台</title>" in dashboard
