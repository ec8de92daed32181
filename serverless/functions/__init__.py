"""Lambda handlers of the serverless video catalog: thin translations from events to the core's use cases."""
