@pytest.fixture
def redis_up(monkeypatch: pytest.MonkeyPatch) -> None:
    """Redis answers (no server needed)."""
    monkeypatch.setattr(Redis, "ping", lambda self: True)
{#- tests/test_health.py includes this with Celery: /readyz also asks Redis. -#}
