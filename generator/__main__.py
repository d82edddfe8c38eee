"""``python -m generator`` runs the webdev-new command."""

from .cli import main

main()
