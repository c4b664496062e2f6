"""Access files and accounting: TLS material, hashed bearer tokens, per-caller quotas (no gRPC)."""
