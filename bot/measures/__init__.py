"""Standard measures over time: change against the first score, and when measures fall due. Pure."""
