from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpResponse
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.generic import CreateView

from ..core.throttling import limit_posts
from .forms import SignupForm
from .models import User


@method_decorator(limit_posts("signup"), name="post")
class SignupView(CreateView[User, SignupForm]):
    form_class = SignupForm
    template_name = "registration/signup.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form: SignupForm) -> HttpResponse:
        response = super().form_valid(form)
        login(self.request, self.object, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(self.request, _("Welcome! Your account has been created."))
        return response
