# Read by the flask command (python-dotenv); .env and the environment win.
FLASK_APP={{ cookiecutter.project_slug }}
