{%- set names = {"sqlite": "SQLite", "postgresql": "PostgreSQL", "mysql": "MySQL/MariaDB"} -%}
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView

from .forms import ContactForm
{%- if cookiecutter.tasks == "celery" %}
from .tasks import send_contact_message
{%- else %}
from .notifications import send_contact_message
{%- endif %}
from .throttling import limit_posts


class HomeView(TemplateView):
    """The start page: what the project holds, and the files to open."""

    template_name = "core/home.html"
    extra_context = {
        "package": "{{ cookiecutter.project_slug }}",
        "django_docs": "https://docs.djangoproject.com/en/{{ cookiecutter.django_version }}/",
        "database": "{{ names[cookiecutter.database] }}",
    }


@method_decorator(limit_posts("contact"), name="post")
class ContactView(FormView[ContactForm]):
    template_name = "core/contact.html"
    form_class = ContactForm
    success_url = reverse_lazy("contact")

    def form_valid(self, form: ContactForm) -> HttpResponse:
{%- if cookiecutter.tasks == "celery" %}
        send_contact_message.delay(**form.cleaned_data)
{%- else %}
        send_contact_message(**form.cleaned_data)
{%- endif %}
        messages.success(self.request, _("Thank you, your message has been sent."))
        return super().form_valid(form)


def favicon(request: HttpRequest) -> HttpResponseRedirect:
    """The site's icon, for pages that do not link it (the admin's)."""
    return redirect(static("favicon.svg"))
