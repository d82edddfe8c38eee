from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from . import errors, views

router = SimpleRouter(use_regex_path=False)
router.register("notes", views.NoteViewSet, basename="note")

urlpatterns = [
    path("", include(router.urls)),
    path("me", views.MeView.as_view(), name="api-me"),
    path("openapi.json", SpectacularJSONAPIView.as_view(), name="api-schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="api/docs.html"),
        name="api-docs",
    ),
    re_path(r"^(?P<path>.*)$", errors.not_found),
]
