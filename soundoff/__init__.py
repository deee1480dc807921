"""Soundoff: a newsroom blog and reader discussion platform."""
