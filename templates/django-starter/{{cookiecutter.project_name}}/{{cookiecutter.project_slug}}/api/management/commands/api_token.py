"""``python manage.py api_token EMAIL``: a new API token for an account."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ....accounts.models import User
from ...models import ApiToken


class Command(BaseCommand):
    help = (
        "Print a new API token for the account with this email address. Only a "
        "hash of it is stored: copy it now. --revoke deletes the account's tokens instead."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument(
            "--revoke", action="store_true", help="Delete every token of the account."
        )

    def handle(self, *args: Any, email: str, revoke: bool, **options: Any) -> None:
        try:
            user = User.objects.get_by_natural_key(email)
        except User.DoesNotExist:
            raise CommandError(f"No account has the address {email}.") from None
        if revoke:
            count, _ = ApiToken.objects.filter(user=user).delete()
            self.stdout.write(f"Deleted {count} token(s) of {user.email}.")
            return
        if not user.is_active:
            raise CommandError(f"The account {user.email} is not active.")
        self.stdout.write(ApiToken.objects.issue(user))
