"""The gRPC edge: server, servicer, protobuf codec, statuses, health, reflection, access gate."""
