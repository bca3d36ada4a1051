"""Users and their roles: plan office, leader, department reporter; demo users."""
