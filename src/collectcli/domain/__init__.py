"""The domain: plain values and rules. Imports nothing of ours and only the standard library."""
