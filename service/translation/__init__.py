"""The translation pipeline: one request from admission to rebuilt text, batched decoding."""
