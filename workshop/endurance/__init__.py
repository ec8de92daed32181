"""Endurance: how an architecture holds a steady load for minutes (soak) and survives its parts being killed."""
