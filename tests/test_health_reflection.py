"""grpc.health.v1 List, the health-only port, and server reflection v1 beside v1alpha."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import grpc
import pytest
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection_pb2

from service.pb import translation_pb2 as pb
from service.vocab import PAIRS
from tests.conftest import RunningServer, settings_for, start_server

SERVICE = "tlumach.v1.TranslationService"
SERVING = health_pb2.HealthCheckResponse.SERVING
NOT_SERVING = health_pb2.HealthCheckResponse.NOT_SERVING


async def test_health_list_names_every_service_with_its_status(
    server: RunningServer, caplog: pytest.LogCaptureFixture
) -> None:
    health = health_pb2_grpc.HealthStub(server.channel)
    with caplog.at_level(logging.ERROR):
        listed = await health.List(health_pb2.HealthListRequest(), timeout=5)
    statuses = {name: reply.status for name, reply in listed.statuses.items()}
    assert set(statuses) == {"", SERVICE, *(f"{SERVICE}/{pair}" for pair in PAIRS)}
    for name, status in statuses.items():
        checked = await health.Check(health_pb2.HealthCheckRequest(service=name))
        assert checked.status == status, name
    assert statuses[""] == SERVING
    assert statuses[f"{SERVICE}/en-uk"] == SERVING
    assert not [r for r in caplog.records if r.exc_info], "List must not log a traceback"


async def test_draining_lists_not_serving_and_the_health_port_answers_alone(
    models_dir: Path,
) -> None:
    running = await start_server(settings_for(models_dir, health_port=0))
    try:
        port = running.app.health_port
        assert port > 0
        async with grpc.aio.insecure_channel(f"127.0.0.1:{port}") as channel:
            health = health_pb2_grpc.HealthStub(channel)
            reply = await health.Check(health_pb2.HealthCheckRequest(), timeout=5)
            assert reply.status == SERVING
            # The health-only port serves nothing else.
            translate = channel.unary_unary(
                f"/{SERVICE}/ListLanguagePairs",
                request_serializer=pb.ListLanguagePairsRequest.SerializeToString,
                response_deserializer=pb.ListLanguagePairsResponse.FromString,
            )
            with pytest.raises(grpc.aio.AioRpcError) as caught:
                await translate(pb.ListLanguagePairsRequest(), timeout=5)
            assert caught.value.code() == grpc.StatusCode.UNIMPLEMENTED
            await running.app.health.enter_graceful_shutdown()
            listed = await health.List(health_pb2.HealthListRequest(), timeout=5)
            assert {reply.status for reply in listed.statuses.values()} == {NOT_SERVING}
    finally:
        await running.channel.close()
        await running.app.stop(grace=0)


def _v1_classes() -> tuple[Any, Any]:
    pool = descriptor_pool.Default()
    request = pool.FindMessageTypeByName("grpc.reflection.v1.ServerReflectionRequest")
    response = pool.FindMessageTypeByName("grpc.reflection.v1.ServerReflectionResponse")
    return message_factory.GetMessageClass(request), message_factory.GetMessageClass(response)


async def _ask(channel: grpc.aio.Channel, version: str, request: Any, response_type: Any) -> Any:
    call = channel.stream_stream(
        f"/grpc.reflection.{version}.ServerReflection/ServerReflectionInfo",
        request_serializer=type(request).SerializeToString,
        response_deserializer=response_type.FromString,
    )

    async def one() -> AsyncIterator[Any]:
        yield request

    [reply] = [reply async for reply in call(one(), timeout=5)]
    return reply


@pytest.mark.parametrize("version", ["v1", "v1alpha"])
async def test_reflection_lists_and_describes_the_service(
    server: RunningServer, version: str
) -> None:
    if version == "v1":
        request_type, response_type = _v1_classes()
    else:
        request_type = reflection_pb2.ServerReflectionRequest
        response_type = reflection_pb2.ServerReflectionResponse
    listed = await _ask(server.channel, version, request_type(list_services=""), response_type)
    names = {service.name for service in listed.list_services_response.service}
    assert {
        SERVICE,
        "grpc.health.v1.Health",
        "grpc.reflection.v1.ServerReflection",
        "grpc.reflection.v1alpha.ServerReflection",
    } <= names
    described = await _ask(
        server.channel,
        version,
        request_type(file_containing_symbol=SERVICE),
        response_type,
    )
    files = described.file_descriptor_response.file_descriptor_proto
    parsed = [descriptor_pb2.FileDescriptorProto.FromString(data) for data in files]
    assert any(
        proto.package == "tlumach.v1" and "TranslationService" in {s.name for s in proto.service}
        for proto in parsed
    )


async def test_reflection_v1_describes_itself(server: RunningServer) -> None:
    request_type, response_type = _v1_classes()
    request = request_type(file_containing_symbol="grpc.reflection.v1.ServerReflection")
    described = await _ask(server.channel, "v1", request, response_type)
    [data] = described.file_descriptor_response.file_descriptor_proto
    proto = descriptor_pb2.FileDescriptorProto.FromString(data)
    assert proto.name == "grpc/reflection/v1/reflection.proto"
    method = proto.service[0].method[0]
    assert method.input_type == ".grpc.reflection.v1.ServerReflectionRequest"
    assert method.client_streaming
    assert method.server_streaming
