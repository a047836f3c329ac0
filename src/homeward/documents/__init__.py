"""Documents Homeward prints: handover lists as PDF."""
