"""Bank statements: import, reconciliation rules and the reconciliation report."""
