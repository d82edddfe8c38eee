    with app.app_context():
        assert db.session.scalars(select(Note)).all() == []
        assert db.session.scalars(select(ApiToken)).all() == []
{#- tests/test_api.py includes this with PostgreSQL or MySQL: the server deleted the account's notes and tokens. -#}
