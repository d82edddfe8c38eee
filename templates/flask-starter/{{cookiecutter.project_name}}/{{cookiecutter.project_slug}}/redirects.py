"""Redirect targets taken from a request (``next``): this site's paths only."""

from urllib.parse import urlsplit


def safe_redirect_target(target: str | None) -> str | None:
    """``target`` if it is a path on this site, else None.

    Refuses absolute URLs, scheme-relative ``//host`` and the ``/\\host`` form
    that browsers read as ``//host``.
    """
    if not target or any(ord(char) < 32 for char in target):
        return None
    normalised = target.replace("\\", "/")
    parts = urlsplit(normalised)
    if parts.scheme or parts.netloc or not normalised.startswith("/"):
        return None
    if normalised.startswith("//"):
        return None
    return target
