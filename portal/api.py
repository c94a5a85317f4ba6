"""The public JSON API under /api/v1/ (django-ninja); each app adds its router here."""

from ninja import NinjaAPI

api = NinjaAPI(
    title="Chuangkou API",
    version="1.0",
    description="窗口办公政务公开平台开放接口",
    urls_namespace="api-v1",
)
