from django.contrib import messages
from django.http import HttpResponse
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView

from .forms import ContactForm
{%- if cookiecutter.tasks == "celery" %}
from .tasks import send_contact_message
{%- else %}
from .notifications import send_contact_message
{%- endif %}


class HomeView(TemplateView):
    template_name = "core/home.html"


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
