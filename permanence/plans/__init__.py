"""The permanence plan: services, selectors, forms, views and rules (SPEC §3)."""
