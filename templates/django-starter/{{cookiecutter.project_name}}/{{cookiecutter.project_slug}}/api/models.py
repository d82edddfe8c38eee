import hashlib
import secrets

from django.conf import settings
from django.db import models

from ..accounts.models import User


class Note(models.Model):
    """The example resource: a short text that belongs to one user."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notes"
    )
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


def digest(token: str) -> str:
    """The SHA-256 of a token, as stored: a copy of the table gives no usable token."""
    return hashlib.sha256(token.encode()).hexdigest()


class ApiTokenManager(models.Manager["ApiToken"]):
    def issue(self, user: User) -> str:
        """Make a token for ``user`` and return it; only its digest is kept,
        so this is the one time anyone sees it."""
        token = secrets.token_urlsafe(32)
        self.create(user=user, digest=digest(token))
        return token


class ApiToken(models.Model):
    """A bearer token a script sends as ``Authorization: Bearer <token>``."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ApiTokenManager()

    def __str__(self) -> str:
        return f"API token of {self.user}"
