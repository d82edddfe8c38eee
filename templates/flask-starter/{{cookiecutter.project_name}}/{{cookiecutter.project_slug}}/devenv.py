"""The development ``.env`` for a copy that has none (a downloaded project).

The ``flask`` command reads ``.env`` before it builds the app; a copy without
one gets it on its first ``flask`` command: ``.env.example`` with a
``SECRET_KEY`` of its own, readable by its owner only.  A server sets
``SECRET_KEY`` in its environment and never gets one.
"""

import os
import secrets
import sys
from pathlib import Path

from dotenv import load_dotenv

ROOT = Path(__file__).resolve().parent.parent


def create_dotenv() -> None:
    dotenv, example = ROOT / ".env", ROOT / ".env.example"
    if dotenv.exists() or not example.exists() or os.environ.get("SECRET_KEY"):
        return
    key = secrets.token_urlsafe(50)
    text = example.read_text().replace("SECRET_KEY=", f"SECRET_KEY={key}", 1)
    descriptor = os.open(dotenv, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as file:
        file.write(text)
    print("Created .env with a new development SECRET_KEY.", file=sys.stderr)
    load_dotenv(dotenv)
