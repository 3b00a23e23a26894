"""From a ratified plan to permanence achieved: carers, allocation, family finding, potential
matches and orders (issue 14)."""
