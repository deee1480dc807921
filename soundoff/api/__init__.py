"""The JSON API, version 1: thin — parse, call a service, answer explicitly."""
