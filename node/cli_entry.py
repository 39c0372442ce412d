"""``python -m node.cli_entry``: the CLI as a module, used to spawn helper processes."""

from node.cli import main

main()
