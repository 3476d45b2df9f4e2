"""Slack views: Block Kit built by pure functions from plain data, tested without Slack."""
