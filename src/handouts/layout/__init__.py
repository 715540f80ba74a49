"""The layout side: templates filled, fitted to their pages, and rendered to PDF."""
