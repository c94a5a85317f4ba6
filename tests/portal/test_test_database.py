"""The test database each worker gets is a copy of one migrated per run
(`tests.databases`): it must be what the migrations produce, data included."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from wagtail.models import Site

from portal import roles
from tests import databases

pytestmark = pytest.mark.django_db


def test_every_migration_is_applied_and_the_data_migrations_ran():
    executor = MigrationExecutor(connection)
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []
    assert Site.objects.get(is_default_site=True).root_page.slug == "home"
    assert set(Group.objects.values_list("name", flat=True)) >= set(
        roles.GROUP_NAMES.values()
    )


def test_the_worker_has_its_own_copy_not_the_template():
    own = connection.settings_dict["NAME"]
    template = databases._template_name(connection, own)
    assert own != template
    assert connection._test_serialized_contents
