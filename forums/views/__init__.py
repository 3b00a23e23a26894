"""The forums app's pages."""
