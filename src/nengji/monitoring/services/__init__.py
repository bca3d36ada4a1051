"""Every write of the monitoring domain. Views, the API, the Excel importer and the CLI call
these functions; each is atomic, raises `MonitoringError` and writes the audit log."""

from nengji.monitoring.services.assignments import assignment_set as assignment_set
from nengji.monitoring.services.assignments import assignments_sync as assignments_sync
from nengji.monitoring.services.evidence import evidence_add as evidence_add
from nengji.monitoring.services.imports import submissions_import as submissions_import
from nengji.monitoring.services.proposals import proposal_accept as proposal_accept
from nengji.monitoring.services.proposals import proposal_reject as proposal_reject
from nengji.monitoring.services.proposals import value_propose as value_propose
from nengji.monitoring.services.publication import (
    observation_record_external as observation_record_external,
)
from nengji.monitoring.services.publication import round_publish as round_publish
from nengji.monitoring.services.reminders import reminders_send as reminders_send
from nengji.monitoring.services.rounds import round_close as round_close
from nengji.monitoring.services.rounds import round_open as round_open
from nengji.monitoring.services.rounds import round_reports_complete as round_reports_complete
from nengji.monitoring.services.submissions import submission_approve as submission_approve
from nengji.monitoring.services.submissions import submission_create as submission_create
from nengji.monitoring.services.submissions import submission_return as submission_return
from nengji.monitoring.services.submissions import submission_revise as submission_revise
from nengji.monitoring.services.submissions import submission_save as submission_save
from nengji.monitoring.services.submissions import submission_submit as submission_submit
from nengji.monitoring.services.targets import settings_update as settings_update
from nengji.monitoring.services.targets import target_set as target_set
