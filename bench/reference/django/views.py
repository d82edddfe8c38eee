"""The reference project's two views: a template-rendered home page and a
plain health check, both behind Django's default middleware."""

from django.http import JsonResponse
from django.shortcuts import render


def home(request):
    return render(request, "home.html")


def healthz(request):
    return JsonResponse({"status": "ok"})
