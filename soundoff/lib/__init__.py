"""Pure helpers shared by the apps: no models, no imports from other Soundoff apps."""
