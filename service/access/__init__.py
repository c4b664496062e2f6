"""Access to the service: TLS material, bearer tokens, per-caller quotas and the gRPC gate."""
