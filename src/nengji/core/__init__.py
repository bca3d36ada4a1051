"""What every domain app shares: organisations and roles, domain errors, the audit log and
domain events. Imported by every app; imports no other nengji app."""
