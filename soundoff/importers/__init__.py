"""Bringing discussions in (Disqus, WordPress WXR, Soundoff's own JSON Lines)
and taking them out again (JSON Lines, WXR), plus claiming imported identities."""
