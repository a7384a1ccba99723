"""Data management: published views, saved queries, the read-only SQL console, data-quality
rules and the management dashboard."""
