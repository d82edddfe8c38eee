"""Bearer tokens for scripts; the browser's session works beside them
(rest_framework's SessionAuthentication, which enforces CSRF)."""

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from .models import ApiToken, digest


class BearerTokenAuthentication(BaseAuthentication):
    """``Authorization: Bearer <token>``, with a token from ``manage.py api_token``."""

    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[AbstractBaseUser, Any] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].decode(errors="replace").lower() != self.keyword.lower():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("The Authorization header takes one token.")
        token = parts[1].decode(errors="replace")
        found = (
            ApiToken.objects.select_related("user")
            .filter(digest=digest(token), user__is_active=True)
            .first()
        )
        if found is None:
            raise exceptions.AuthenticationFailed("Invalid token.")
        return found.user, found

    def authenticate_header(self, request: Request) -> str:
        # Asked for on a refusal: it makes anonymous requests 401, not 403.
        return f'{self.keyword} realm="api"'
