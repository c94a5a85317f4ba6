"""Public URLs of the filing inbox, mounted at /banjian/ (办件) by portal.urls."""

from django.urls import path

from services_catalog.inbox import views

app_name = "inbox"

urlpatterns = [
    path("chaxun/", views.lookup, name="lookup"),
    path("cailiao/<int:pk>/", views.download, name="download"),
    path("<str:tracking_number>/", views.status, name="status"),
    path("<str:tracking_number>/huizhi/", views.receipt, name="receipt"),
    path(
        "<str:tracking_number>/huizhi.pdf",
        views.receipt_download,
        name="receipt_pdf",
    ),
    path("<str:tracking_number>/buzheng/", views.supplement, name="supplement"),
    path("<str:tracking_number>/chehui/", views.withdraw, name="withdraw"),
]

desk_urlpatterns = [
    path("", views.desk_queue, name="queue"),
    path("new/", views.walk_in, name="walk_in_items"),
    path("new/<int:item_id>/", views.walk_in, name="walk_in"),
    path("<int:pk>/", views.pre_review, name="pre_review"),
    path("<int:pk>/notice/<int:notice_pk>/", views.notice_print, name="notice"),
]
"""The window desk, mounted in the Wagtail admin at /admin/chuangkou/."""
