"""The REST API under ``/api/`` (flask-smorest and marshmallow): the notes of
the user making the request, and who that user is.

- ``/api/notes/``: list (20 a page, ``?page=N``) and create;
  ``/api/notes/<id>/``: read, replace (PUT), update (PATCH) and delete.
  Another user's note is 404, as if it did not exist.
- ``/api/me``: the user's id and email address.
- ``/api/openapi.json``: the OpenAPI 3 document, made from the code below;
  ``/api/docs/``: Swagger UI for it, every file served by this app (from the
  flask-swagger-ui package), so it works offline and under the site's
  Content-Security-Policy.

Who makes the request: a script sends ``Authorization: Bearer TOKEN`` (from
``flask api-token EMAIL``); a page of this site uses its login session, and
then every write carries the CSRF token (``X-CSRFToken`` header).  Without
either the answer is 401.  Writes are throttled per user (``API_WRITE_LIMIT``).
Every error under ``/api/`` is JSON: ``{"code", "status", "message"}``, plus
``"errors"`` by field for a 400 about the data sent.
"""

import hmac
import os
from collections.abc import Callable
from importlib.resources import files
from typing import Any

import click
import flask_smorest
from flask import (
    Blueprint,
    Flask,
    current_app,
    g,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask.cli import with_appcontext
from flask.typing import ResponseReturnValue
from flask_limiter.util import get_remote_address
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from marshmallow import Schema, fields, validate
from sqlalchemy import delete, func, select
from werkzeug.exceptions import HTTPException, NotFound, Unauthorized

from . import errors
from .api_models import ApiToken, Note, token_digest
from .database import db
from .extensions import csrf
from .throttling import check_blueprint_limits, limiter
from .users import User, normalise_email

#: Notes in one page of the list.
PAGE_SIZE = 20
#: Writes (POST, PUT, PATCH, DELETE) one user, or one client address when
#: the request names no user, may make; the ``API_WRITE_LIMIT`` environment
#: variable changes it ("100 per minute", "1000 per day"...).
API_WRITES = "60 per minute"
WRITES = ["POST", "PUT", "PATCH", "DELETE"]


class Api(flask_smorest.Api):
    def _register_error_handlers(self) -> None:
        """Leave the app's error handlers alone: the site's pages keep their
        error pages, and the API answers its own errors (``init_app``)."""


#: What the document says beside the operations: either way of logging in
#: works for every operation.
SPEC = {
    "info": {"description": "Notes of the signed-in user."},
    "security": [{"bearerAuth": []}, {"sessionCookie": []}],
}
bp = flask_smorest.Blueprint(
    "api", __name__, url_prefix="/api", description="Notes and the current user."
)
docs = Blueprint("api_ui", __name__, url_prefix="/api/docs")
#: Swagger UI's files, as the flask-swagger-ui package ships them.
SWAGGER_UI = files("flask_swagger_ui") / "dist"
SWAGGER_UI_FILES = frozenset({"swagger-ui.css", "swagger-ui-bundle.js"})


def init_app(app: Flask) -> None:
    """The API, its document and its docs page for ``app``."""
    app.config.setdefault("API_TITLE", app.name)
    app.config.setdefault("API_VERSION", "1")
    app.config.setdefault("OPENAPI_VERSION", "3.0.3")
    app.config.setdefault("OPENAPI_URL_PREFIX", "/api")
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    app.config.setdefault(
        "API_WRITE_LIMIT", os.environ.get("API_WRITE_LIMIT") or API_WRITES
    )
    # Writes check the CSRF token themselves: only requests of a login session
    # need one (a bearer token cannot be sent by another site's page).
    csrf.exempt(bp)
    # One per app (in app.extensions): the document is made from its routes.
    api = Api(app, spec_kwargs=SPEC)
    api.spec.components.security_scheme(
        "bearerAuth", {"type": "http", "scheme": "bearer"}
    )
    api.spec.components.security_scheme(
        "sessionCookie",
        {"type": "apiKey", "in": "cookie", "name": app.config["SESSION_COOKIE_NAME"]},
    )
    api.register_blueprint(bp)
    check_blueprint_limits(app, bp.name)  # the limit of writes below
    app.register_blueprint(docs)
    # A path under /api/ that matches no route (404) or not with this method
    # (405) reaches no blueprint: the app answers it, in JSON, and keeps the
    # site's error pages everywhere else.
    app.register_error_handler(404, json_under_api(errors.not_found))
    app.register_error_handler(405, json_under_api(errors.method_not_allowed))
    app.cli.add_command(api_token)


# --------------------------------------------------------------------------
# Who makes the request


def request_user() -> User | None:
    """The user a request authenticates as: by its bearer token when it sends
    an ``Authorization`` header (its session is then ignored), else by its
    login session."""
    if "api_user" not in g:
        header = request.headers.get("Authorization")
        if header is None:
            g.api_user = current_user if current_user.is_authenticated else None
            g.api_by_token = False
        else:
            scheme, _, token = header.partition(" ")
            bearer = scheme.lower() == "bearer"
            g.api_user = token_user(token.strip()) if bearer else None
            g.api_by_token = True
    user: User | None = g.api_user
    return user


def token_user(token: str) -> User | None:
    if not token:
        return None
    digest = token_digest(token)
    found = db.session.scalar(select(ApiToken).where(ApiToken.digest == digest))
    # The lookup found the digest; comparing it again costs nothing and keeps
    # the check constant-time should the lookup ever change.
    if found is None or not hmac.compare_digest(found.digest, digest):
        return None
    return found.user


def writer_key() -> str:
    """Whose writes are counted together: the user's, else the address's."""
    user = request_user()
    return f"api-user:{user.id}" if user is not None else get_remote_address()


@bp.before_request
def authenticate() -> None:
    user = request_user()
    if user is None:
        flask_smorest.abort(
            401,
            message="Authentication required: a login session or "
            "'Authorization: Bearer <token>'.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    if (
        request.method in WRITES
        and not g.api_by_token
        and current_app.config["WTF_CSRF_ENABLED"]
    ):
        csrf.protect()


limiter.limit(
    lambda: str(current_app.config["API_WRITE_LIMIT"]),
    key_func=writer_key,
    methods=WRITES,
    scope="api-writes",
)(bp)


def owner() -> User:
    """The user the request authenticated as (``authenticate`` let it in)."""
    user = request_user()
    if user is None:
        raise Unauthorized()
    return user


# --------------------------------------------------------------------------
# Errors


def json_error(error: HTTPException) -> ResponseReturnValue:
    """An error of the API as JSON, in flask-smorest's format: ``errors`` holds
    what webargs found wrong with the data, by location and field."""
    code = error.code or 500
    if code >= 500:
        db.session.rollback()
    payload: dict[str, Any] = {
        "code": code,
        "status": error.name,
        "message": error.description,
    }
    data: dict[str, Any] = getattr(error, "data", None) or {}
    if "message" in data:
        payload["message"] = data["message"]
    if data.get("messages"):
        payload["message"] = "The data sent is not valid: see errors."
        payload["errors"] = data["messages"]
    # Allow (405) and WWW-Authenticate (401) stay; the body is JSON, not HTML.
    headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
    return payload, code, [*headers, *(data.get("headers") or {}).items()]


# The site answers these codes with its pages for the whole app; the API's
# own handlers come first for its routes.
for status in (400, 401, 403, 404, 405, 409, 413, 415, 422, 429, 500):
    bp.register_error_handler(status, json_error)
docs.register_error_handler(404, json_error)


ErrorHandler = Callable[[HTTPException], ResponseReturnValue]


def json_under_api(page: ErrorHandler) -> ErrorHandler:
    """``page`` for the site, ``json_error`` under /api/."""

    def handle(error: HTTPException) -> ResponseReturnValue:
        if request.path == "/api" or request.path.startswith("/api/"):
            return json_error(error)
        return page(error)

    return handle


# --------------------------------------------------------------------------
# Schemas


class NoteSchema(Schema):
    id = fields.Integer(dump_only=True)
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    body = fields.String(load_default="")
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)


class NoteChangesSchema(Schema):
    """What PATCH may change: any of the fields, none required."""

    title = fields.String(validate=validate.Length(min=1, max=200))
    body = fields.String()


class NotePageSchema(Schema):
    count = fields.Integer(metadata={"description": "Notes in every page."})
    next = fields.Url(allow_none=True, metadata={"description": "The next page."})
    previous = fields.Url(allow_none=True, metadata={"description": "The page before."})
    results = fields.List(fields.Nested(NoteSchema))


class PageArgsSchema(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1))


class UserSchema(Schema):
    id = fields.Integer()
    email = fields.Email()


# --------------------------------------------------------------------------
# Views


@bp.route("/me")
@bp.response(200, UserSchema)
def me() -> User:
    """The user making the request."""
    return owner()


def page_url(number: int) -> str:
    return url_for("api.notes", page=number, _external=True)


@bp.route("/notes/")
@bp.arguments(PageArgsSchema, location="query", error_status_code=400)
@bp.response(200, NotePageSchema)
def notes(args: dict[str, int]) -> dict[str, Any]:
    """The user's notes, newest first, 20 a page."""
    number = args["page"]
    mine = select(Note).where(Note.owner_id == owner().id)
    count = db.session.scalar(select(func.count()).select_from(mine.subquery())) or 0
    if number > 1 and (number - 1) * PAGE_SIZE >= count:
        flask_smorest.abort(404, message=f"There is no page {number}.")
    results = db.session.scalars(
        mine.order_by(Note.id.desc()).limit(PAGE_SIZE).offset((number - 1) * PAGE_SIZE)
    ).all()
    return {
        "count": count,
        "next": page_url(number + 1) if number * PAGE_SIZE < count else None,
        "previous": page_url(number - 1) if number > 1 else None,
        "results": results,
    }


@bp.route("/notes/", methods=["POST"])
@bp.arguments(NoteSchema, error_status_code=400)
@bp.response(201, NoteSchema)
def create_note(data: dict[str, Any]) -> Note:
    """Keep a new note."""
    note = Note(owner_id=owner().id, **data)
    db.session.add(note)
    db.session.commit()
    return note


def find_note(note_id: int) -> Note:
    """The user's note ``note_id``; 404 for any other, whoever owns it."""
    note = db.session.scalar(
        select(Note).where(Note.id == note_id, Note.owner_id == owner().id)
    )
    if note is None:
        raise NotFound("No such note.")
    return note


@bp.route("/notes/<int:note_id>/")
@bp.response(200, NoteSchema)
def read_note(note_id: int) -> Note:
    """One of the user's notes."""
    return find_note(note_id)


@bp.route("/notes/<int:note_id>/", methods=["PUT"])
@bp.arguments(NoteSchema, error_status_code=400)
@bp.response(200, NoteSchema)
def replace_note(data: dict[str, Any], note_id: int) -> Note:
    """Replace a note: the fields left out take their defaults."""
    note = find_note(note_id)
    note.title = data["title"]
    note.body = data["body"]
    db.session.commit()
    return note


@bp.route("/notes/<int:note_id>/", methods=["PATCH"])
@bp.arguments(NoteChangesSchema, error_status_code=400)
@bp.response(200, NoteSchema)
def update_note(data: dict[str, Any], note_id: int) -> Note:
    """Change some fields of a note."""
    note = find_note(note_id)
    for name, value in data.items():
        setattr(note, name, value)
    db.session.commit()
    return note


@bp.route("/notes/<int:note_id>/", methods=["DELETE"])
@bp.response(204)
def delete_note(note_id: int) -> None:
    """Delete a note."""
    db.session.delete(find_note(note_id))
    db.session.commit()


# --------------------------------------------------------------------------
# The docs page


@docs.get("/")
def docs_page() -> ResponseReturnValue:
    """Swagger UI for the document; its settings are data attributes that
    ``static/api-docs.js`` reads (the policy allows no inline script)."""
    return render_template(
        "api/docs.html",
        spec_url=url_for("api-docs.openapi_json"),
        csrf_token=generate_csrf(),
    )


@docs.get("/<name>")
def docs_file(name: str) -> ResponseReturnValue:
    if name not in SWAGGER_UI_FILES:
        raise NotFound()
    return send_from_directory(str(SWAGGER_UI), name, max_age=3600)


# --------------------------------------------------------------------------
# Tokens


@click.command("api-token")
@click.argument("email")
@click.option("--revoke", is_flag=True, help="End every token of this user instead.")
@with_appcontext
def api_token(email: str, revoke: bool) -> None:
    """Print a new API token for the user with this EMAIL (shown only once)."""
    user = db.session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None:
        raise click.BadParameter(f"no account for {email}", param_hint="EMAIL")
    if revoke:
        db.session.execute(delete(ApiToken).where(ApiToken.user_id == user.id))
        db.session.commit()
        click.echo(f"Revoked every token of {user.email}", err=True)
        return
    row, token = ApiToken.issue(user)
    db.session.add(row)
    db.session.commit()
    click.echo(token)
