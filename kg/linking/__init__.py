"""Linking: minting stable IRIs, merging papers read from several sources, and
turning per-paper mentions into concept nodes shared across papers."""
