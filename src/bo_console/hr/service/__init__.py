"""HR's services: every rule, permission check and audit write of HR, for both faces.

One module or package per concern: :mod:`.people` (org units, positions, employees),
:mod:`.recruiting`, :mod:`.training`, :mod:`.benefits`, :mod:`.leave` and :mod:`.payroll`
(runs, posting to finance's ledger, payment, inputs); :mod:`.common` holds what they share.
Functions take a session and the acting user and do not commit; the use cases that own a job
lock and a transaction (``payroll.run_month``, ``payroll.approve``, ``payroll.post``,
``payroll.pay_to_file``) take the store.
"""
