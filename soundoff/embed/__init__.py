"""The discussion embedded under pages of other sites."""
