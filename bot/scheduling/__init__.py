"""Scheduling: the pure planner, the timing policy, sessions, and the durable dispatcher."""
