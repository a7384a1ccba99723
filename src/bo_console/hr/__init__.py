"""HR and payroll: people, recruiting, training, benefits, leave and pay runs.

Services live in ``people``, ``recruiting``, ``training``, ``benefits``, ``leave`` and
``payroll``; ``cli`` is the ``bo hr`` command group. Confidential fields (salary, allowances,
IBAN, national ID, date of birth) sit in their own table and are read only for actors with
``hr.confidential``; every such read is audited.
"""
