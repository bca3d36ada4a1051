"""Reports: the annual monitoring report and the mid-term evaluation (docx in GB/T 9704 layout,
PDF, xlsx), generated from the live data at the time of generation."""
