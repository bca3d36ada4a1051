"""Plan monitoring: assignments, targets, reporting rounds, submissions, review, publication,
revisions as vintages, task progress, on-track assessment, alerts and the audit log."""
