"""Entry point for ``python -m bo_console``."""

from bo_console.console import main

if __name__ == "__main__":
    main()
