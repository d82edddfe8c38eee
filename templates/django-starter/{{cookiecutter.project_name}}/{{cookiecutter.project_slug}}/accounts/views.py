from typing import Any

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.hashers import make_password
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponse
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView

from ..core.throttling import limit_posts, posted_email
from . import emails
from .forms import DeleteAccountForm, SignupForm, VerifyEmailForm
from .models import User

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@method_decorator(limit_posts("signup_email", key=posted_email), name="post")
@method_decorator(limit_posts("signup"), name="post")
class SignupView(FormView[SignupForm]):
    """Sign-up answers the same whether or not the address has an account,
    and takes as long: a new account is sent a link that verifies its
    address; the owner of an existing one is told someone tried again."""

    form_class = SignupForm
    template_name = "registration/signup.html"
    success_url = reverse_lazy("signup_done")

    def form_valid(self, form: SignupForm) -> HttpResponse:
        email = form.cleaned_data["email"]
        existing = User.objects.filter(email=email).first()
        if existing is None:
            try:
                with transaction.atomic():
                    user = form.save()
            except IntegrityError:  # the same address, signed up a moment ago
                existing = User.objects.get(email=email)
            else:
                emails.send_verification(self.request, user)
        if existing is not None:
            # Hash the password anyway: the answer takes as long as for a new account.
            make_password(form.cleaned_data["password1"])
            emails.send_account_exists(self.request, existing)
        return super().form_valid(form)


class SignupDoneView(TemplateView):
    template_name = "registration/signup_done.html"


class VerifyEmailView(FormView[VerifyEmailForm]):
    """The link from the verification email: a signed, expiring token for
    one account. The account's password confirms the address (see
    VerifyEmailForm), and logs the user in."""

    form_class = VerifyEmailForm
    template_name = "registration/verify_email.html"
    success_url = reverse_lazy("home")

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        self.account = self.user_from_link(kwargs["uidb64"], kwargs["token"])
        return super().dispatch(request, *args, **kwargs)

    @staticmethod
    def user_from_link(uidb64: str, token: str) -> User | None:
        try:
            user = User.objects.get(pk=force_str(urlsafe_base64_decode(uidb64)))
        except (ValueError, OverflowError, User.DoesNotExist):
            return None
        return user if emails.verification_tokens.check_token(user, token) else None

    def get(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.account is None:
            return self.render_to_response({"validlink": False}, status=404)
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        if self.account is None:
            raise Http404
        return {**super().get_form_kwargs(), "request": self.request, "user": self.account}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(validlink=True, account=self.account, **kwargs)

    def form_valid(self, form: VerifyEmailForm) -> HttpResponse:
        user = form.user
        user.email_verified = True
        user.save(update_fields=["email_verified"])
        login(self.request, user, backend=MODEL_BACKEND)
        messages.success(self.request, _("Your email address is confirmed. Welcome!"))
        return super().form_valid(form)


class AccountView(LoginRequiredMixin, FormView[DeleteAccountForm]):
    """The user's own page: their address, a link to change the password,
    and the form that deletes the account (its password asked again)."""

    form_class = DeleteAccountForm
    template_name = "registration/account.html"
    success_url = reverse_lazy("home")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "request": self.request, "user": self.request.user}

    def form_valid(self, form: DeleteAccountForm) -> HttpResponse:
        user = form.user
        logout(self.request)
        user.delete()
        messages.success(self.request, _("Your account has been deleted."))
        return super().form_valid(form)
