

@pytest.fixture(scope="session", autouse=True)
def tables() -> Iterator[None]:
    """The tables the tests create are dropped at the end of the run."""
    yield
    drop_tables()
{#- tests/conftest.py includes this with a database: the run's tables dropped at its end. -#}
