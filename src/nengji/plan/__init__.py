"""The plan as data: plan, sections, tasks, measures, indicators, departments; package loader."""
