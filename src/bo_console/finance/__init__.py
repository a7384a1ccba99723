"""Finance: the chart of accounts, the journal (the company's book of record), fiscal periods,
financial reports and interchange with plain-text accounting.

Other departments use :mod:`bo_console.finance.service` only.
"""
