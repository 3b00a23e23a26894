"""The IRO's records are not in the Django admin: each names a child, and the administrator sees
no child (permanence.access). Reviews, allocations, ratification checks, PPN1s and SGO referrals
are read on the service's own pages by those who may see the child, with their history there.
"""
