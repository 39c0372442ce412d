"""Entry point: ``python run_node.py --help``."""

from node.cli import main

if __name__ == "__main__":
    main()
