"""Every answer under /api/ is JSON, errors included."""

import logging
from typing import Any

from django.http import HttpRequest, JsonResponse
from rest_framework.response import Response
from rest_framework.views import exception_handler

logger = logging.getLogger(__name__)


def handle_exception(exc: Exception, context: dict[str, Any]) -> Response:
    """REST framework's handler for its own errors (400 with the fields'
    messages, 401, 403, 404, 405, 429), and a JSON 500 for any other."""
    response = exception_handler(exc, context)
    if response is None:
        logger.error("Unhandled error in the API", exc_info=exc)
        response = Response({"detail": "Server error."}, status=500)
    return response


def not_found(request: HttpRequest, path: str) -> JsonResponse:
    """An unknown path under /api/."""
    return JsonResponse({"detail": "Not found."}, status=404)
