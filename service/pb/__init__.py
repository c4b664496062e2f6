"""Generated gRPC stubs (made by `python -m grpc_tools.protoc`, not committed)."""
