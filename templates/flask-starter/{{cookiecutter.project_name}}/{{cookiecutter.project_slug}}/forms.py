{%- macro t(text) -%}
{%- if cookiecutter.i18n -%}_l("{{ text }}"){%- else -%}"{{ text }}"{%- endif -%}
{%- endmacro -%}
"""The example form on the home page."""

{% if cookiecutter.i18n -%}
from flask_babel import lazy_gettext as _l
{% endif -%}
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length


class MessageForm(FlaskForm):
    author = StringField(
        {{ t("Your name") }},
        validators=[DataRequired(), Length(max=80)],
        render_kw={"autocomplete": "name"},
    )
    body = TextAreaField({{ t("Message") }}, validators=[DataRequired(), Length(max=500)])
    submit = SubmitField({{ t("Send") }})
