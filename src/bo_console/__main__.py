"""Entry point for ``python -m bo_console``."""

from bo_console.cli import main

if __name__ == "__main__":
    main()
