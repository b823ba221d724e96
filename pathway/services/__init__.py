"""Services: one user action each (sign in, invite, record a change), with its audit events."""
