"""Sign-in with the newsroom's own accounts, through OpenID Connect."""
