"""One module per check; see ``moderation.pipeline.PHASES`` for the order."""
