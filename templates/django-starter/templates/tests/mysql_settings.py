def test_mysql_options_from_database_url_are_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    """TLS to a managed server is asked for in the URL; it must not be dropped."""
    url = "mysql://site:secret@db.example:3306/site?ssl-ca=/etc/ssl/certs/ca.pem"
    options = load_settings(monkeypatch, DATABASE_URL=url).DATABASES["default"]["OPTIONS"]
    assert options["ssl"] == {"ca": "/etc/ssl/certs/ca.pem"}
    assert options["charset"] == "utf8mb4"
{#- tests/test_settings.py includes this with MySQL: the connection options settings.py adds. -#}
