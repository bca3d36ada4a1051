"""The leaders' cockpit (数据驾驶舱): index, indicators, tasks, alerts and drill-downs."""
