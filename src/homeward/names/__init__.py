"""Cross-script names, places and dates: pure functions and the data they use."""
