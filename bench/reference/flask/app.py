"""The reference Flask app: one file, a template-rendered home page and a
plain health check, production settings from the environment."""

import os

from flask import Flask, render_template

app = Flask(__name__)
app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]


@app.get("/")
def index():
    return render_template("index.html")


# Stand-ins, so that the page builds as many URLs as the generated one.
@app.get("/auth/login", endpoint="login")
@app.get("/auth/signup", endpoint="signup")
def account_page():
    return render_template("index.html")


@app.get("/healthz")
def healthz():
    return {"status": "ok"}
