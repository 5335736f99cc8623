"""Journeys in a real headless Chromium (Playwright, /usr/bin/chromium)."""
