"""The people around the child: siblings, contact and supporting adults (001 §2.1, 002 §5)."""
