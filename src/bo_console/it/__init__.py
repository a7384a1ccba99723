"""The IT department: helpdesk tickets with SLAs, the asset register, software licences, and
the onboarding and offboarding work HR hands over."""
