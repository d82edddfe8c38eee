from collections.abc import Collection, Iterator
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import F
from django.db.models.functions import Lower
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager["User"]):
    """Creates users from an email address; looks them up ignoring its case."""

    use_in_migrations = True

    @classmethod
    def normalize_email(cls, email: str | None) -> str:
        """The whole address in lower case, so that one mailbox is one account.

        Django lowers only the domain; mail providers treat the local part
        without regard to case too, and an address differing only by case
        would otherwise give a second account (or an unusable login).
        """
        return super().normalize_email(email).lower()

    def _create_user(self, email: str, password: str | None, **extra_fields: Any) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields: Any) -> "User":
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(
        self, email: str, password: str | None = None, **extra_fields: Any
    ) -> "User":
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        # Made from the command line by someone who runs the server.
        extra_fields.setdefault("email_verified", True)
        if not extra_fields["is_staff"] or not extra_fields["is_superuser"]:
            raise ValueError("A superuser must have is_staff=True and is_superuser=True.")
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, email: str | None) -> "User":
        return self.get(email__iexact=email)


class User(AbstractUser):
    """A user who logs in with an email address instead of a username."""

    # Drops the inherited field (the stubs type it as str): the email address is the login.
    username = None  # type: ignore[assignment]
    email = models.EmailField(_("email address"), unique=True)
    email_verified = models.BooleanField(
        _("email address verified"),
        default=False,
        help_text=_("Whether the user followed the link sent to the address."),
    )
    # Mixed into the session hash: raising it ends every session of the user
    # (logout does, so a copied session cookie stops working everywhere).
    session_generation = models.PositiveIntegerField(default=0, editable=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    # The stubs declare AbstractUser.objects as Django's UserManager; this one
    # replaces it (users by email address).
    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            # The database itself refuses a second account whose address
            # differs only by case (emails are also stored in lower case).
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.email

    def validate_constraints(self, exclude: Collection[str] | None = None) -> None:
        # Forms clean the address to lower case first, so the email field's
        # own unique check reports a taken address, next to the field; the
        # constraint would repeat it as an error of the whole form.
        super().validate_constraints(exclude={*(exclude or ()), "email"})

    def get_session_auth_hash(self) -> str:
        return self._session_hash()

    def get_session_auth_fallback_hash(self) -> Iterator[str]:
        for secret in settings.SECRET_KEY_FALLBACKS:
            yield self._session_hash(secret)

    def _session_hash(self, secret: str | bytes | None = None) -> str:
        """What a session stores to stay valid: an HMAC of the password hash
        (Django's own: a new password ends the other sessions) and of the
        session generation (logout ends them all)."""
        return salted_hmac(
            "accounts.User.session_hash",
            f"{self.password}:{self.session_generation}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    def end_all_sessions(self) -> None:
        """Make every session of this user invalid, on every server."""
        type(self).objects.filter(pk=self.pk).update(session_generation=F("session_generation") + 1)
        self.refresh_from_db(fields=["session_generation"])

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.email = type(self).objects.normalize_email(self.email)
        super().save(*args, **kwargs)
