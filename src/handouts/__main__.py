"""``python -m handouts`` runs the CLI."""

from handouts.cli import main

main()
