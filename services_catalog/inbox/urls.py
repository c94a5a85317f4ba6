"""Public URLs of the filing inbox, mounted at /banjian/ (办件) by portal.urls."""

from django.urls import path

from services_catalog.inbox import consultation_views, print_views, rating_views, views

app_name = "inbox"

urlpatterns = [
    path("chaxun/", views.lookup, name="lookup"),
    path("tousu/", views.complaint, name="complaint"),
    path("zixun/", consultation_views.public_list, name="consultations"),
    path("zixun/tiwen/", consultation_views.ask, name="consult"),
    path(
        "zixun/wenda/<int:pk>/",
        consultation_views.public_detail,
        name="consultation_answer",
    ),
    path(
        "zixun/<str:tracking_number>/",
        consultation_views.status,
        name="consultation",
    ),
    path("cailiao/<int:pk>/", views.download, name="download"),
    path("pingjia/<str:code>/", rating_views.department_ratings, name="ratings"),
    path(
        "pingjia/<str:code>/haochaping.<str:file_format>",
        rating_views.department_ratings,
        name="ratings_download",
    ),
    path(
        "pingjia/<str:code>/<str:item_code>/",
        rating_views.item_ratings,
        name="item_ratings",
    ),
    path(
        "pingjia/<str:code>/<str:item_code>/haochaping.<str:file_format>",
        rating_views.item_ratings,
        name="item_ratings_download",
    ),
    path("shenqing/<int:item_id>/", views.apply_direct, name="apply"),
    path("<str:tracking_number>/", views.status, name="status"),
    path("<str:tracking_number>/huizhi/", views.receipt, name="receipt"),
    path(
        "<str:tracking_number>/huizhi.pdf",
        views.receipt_download,
        name="receipt_pdf",
    ),
    path(
        "<str:tracking_number>/wode-xinxi.json",
        views.own_data_download,
        name="own_data",
    ),
    path(
        "<str:tracking_number>/wode-xinxi.pdf",
        views.own_data_download,
        {"file_format": "pdf"},
        name="own_data_pdf",
    ),
    path(
        "<str:tracking_number>/jieguo/",
        views.result_download,
        name="result_download",
    ),
    path(
        "<str:tracking_number>/jieguo-tongzhishu.pdf",
        views.result_notice_download,
        name="result_notice_pdf",
    ),
    path("<str:tracking_number>/buzheng/", views.supplement, name="supplement"),
    path("<str:tracking_number>/chehui/", views.withdraw, name="withdraw"),
    path("<str:tracking_number>/pingjia/", views.rate, name="rate"),
]

desk_urlpatterns = [
    path(
        "results/<int:pk>/print/",
        print_views.ResultPrintView.as_view(),
        name="result_print",
    ),
    path(
        "procedure-notices/<int:pk>/",
        print_views.ProcedureNoticePrintView.as_view(),
        name="procedure_notice",
    ),
]
"""The printed results and special-procedure notices, mounted in the Wagtail admin
at /admin/chuangkou/ (`wagtail_hooks`); the desk is `desk_views.DeskViewSet`, the case
list and case page `case_admin.FilingViewSet`, the inspection office
`supervision_views`."""
