"""moto's services as the platform uses them: its state, the hooks that route events, schedules."""
