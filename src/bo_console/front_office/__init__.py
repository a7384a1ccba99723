"""The front office: the people who face customers hand their demand to the back office.

It owns no tables: a customer is finance's party, a quotation logistics' draft sales order, a
request an item in a department's inbox. Its service composes the departments' services.
"""
