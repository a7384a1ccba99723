"""Setting up a sealed host: a service account owns the store, people reach it through sudo.

The rules the running program follows on such a host are in :mod:`bo_console.core.sealed`;
this package writes the host's accounts, files and sudoers rule (``bo host setup``).
"""
