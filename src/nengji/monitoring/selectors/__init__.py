"""Reads of monitoring for pages, the API and reports: one read model of indicator values and
status (`indicators`), one of task progress (`progress`), rounds, queues and alerts (`rounds`).
No N+1 queries."""

from nengji.monitoring.selectors.indicators import Ancestry as Ancestry
from nengji.monitoring.selectors.indicators import IndicatorStatus as IndicatorStatus
from nengji.monitoring.selectors.indicators import Point as Point
from nengji.monitoring.selectors.indicators import TargetView as TargetView
from nengji.monitoring.selectors.indicators import assess_point as assess_point
from nengji.monitoring.selectors.indicators import indicator_status as indicator_status
from nengji.monitoring.selectors.indicators import indicator_statuses as indicator_statuses
from nengji.monitoring.selectors.indicators import section_ancestry as section_ancestry
from nengji.monitoring.selectors.indicators import target_view as target_view
from nengji.monitoring.selectors.indicators import thresholds_for as thresholds_for
from nengji.monitoring.selectors.indicators import vintages as vintages
from nengji.monitoring.selectors.progress import ProgressNode as ProgressNode
from nengji.monitoring.selectors.progress import latest_approved as latest_approved
from nengji.monitoring.selectors.progress import progress_nodes as progress_nodes
from nengji.monitoring.selectors.progress import rollup_percent as rollup_percent
from nengji.monitoring.selectors.progress import rollup_status as rollup_status
from nengji.monitoring.selectors.progress import task_progress as task_progress
from nengji.monitoring.selectors.rounds import Alerts as Alerts
from nengji.monitoring.selectors.rounds import alerts as alerts
from nengji.monitoring.selectors.rounds import latest_submissions as latest_submissions
from nengji.monitoring.selectors.rounds import review_queue as review_queue
from nengji.monitoring.selectors.rounds import round_list as round_list
from nengji.monitoring.selectors.rounds import round_submissions as round_submissions
