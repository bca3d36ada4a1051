"""The public portal (信息公开, 征求意见): published progress, open data, moderated comments."""
