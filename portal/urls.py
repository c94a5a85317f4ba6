"""URL configuration: the API, the admin, sitemaps, robots.txt, the language switcher
and pages."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from portal.api import api
from portal.captcha import new_captcha
from portal.care_mode import switch_care_mode
from portal.views import privacy_notice, robots_txt, switch_language

handler400 = "portal.views.bad_request"
handler403 = "portal.views.permission_denied"

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v1/", api.urls),
    path("i18n/switch/", switch_language, name="switch_language"),
    path("guanhuai/", switch_care_mode, name="switch_care_mode"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("captcha/new/", new_captcha, name="captcha_new"),
    path("captcha/", include("captcha.urls")),
    path("banjian/", include("services_catalog.inbox.urls")),
    path("feeds/", include("services_catalog.urls")),
    path("feeds/", include("disclosure.urls")),
    path("search/", include("search.urls")),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("yinsi/", privacy_notice, name="privacy_notice"),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
