"""What the test suite and the benchmarks both need, written once.

- ``environment``: a clean environment for a generated project's commands;
- ``net``: free ports and plain HTTP status polling;
- ``processes``: servers started in their own process group and stopped
  with everything they started;
- ``deployment``: what a project's deployment files say it runs (the
  Procfile's processes, the Dockerfile's CMD, the gunicorn application).

Neither side keeps a copy of its own: a fix here reaches both.
"""
