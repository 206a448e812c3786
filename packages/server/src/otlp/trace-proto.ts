/**
 * OTLP/HTTP protobuf for traces, encoded with protobufjs: the export answer, and requests for tests
 * and tools (requests are decoded by proto-decode.ts). The message definitions are the subset of
 * opentelemetry-proto (Apache-2.0, v1.x: collector/trace/v1, trace/v1, common/v1, resource/v1) that
 * the collector reads, with upstream numbering; a scope (`ScopeSpans.scope`) and a span's links
 * (`Span.links`) are left out.
 */
import protobuf from 'protobufjs';

const PROTO = `
syntax = "proto3";
package opentelemetry.proto;

message AnyValue {
  oneof value {
    string string_value = 1;
    bool bool_value = 2;
    int64 int_value = 3;
    double double_value = 4;
    ArrayValue array_value = 5;
    KeyValueList kvlist_value = 6;
    bytes bytes_value = 7;
  }
}
message ArrayValue { repeated AnyValue values = 1; }
message KeyValueList { repeated KeyValue values = 1; }
message KeyValue { string key = 1; AnyValue value = 2; }
message Resource { repeated KeyValue attributes = 1; uint32 dropped_attributes_count = 2; }

message ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
message ExportTraceServiceResponse { ExportTracePartialSuccess partial_success = 1; }
message ExportTracePartialSuccess { int64 rejected_spans = 1; string error_message = 2; }

message ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; string schema_url = 3; }
message ScopeSpans { repeated Span spans = 2; string schema_url = 3; }
message Span {
  bytes trace_id = 1;
  bytes span_id = 2;
  string trace_state = 3;
  bytes parent_span_id = 4;
  fixed32 flags = 16;
  string name = 5;
  int32 kind = 6;
  fixed64 start_time_unix_nano = 7;
  fixed64 end_time_unix_nano = 8;
  repeated KeyValue attributes = 9;
  uint32 dropped_attributes_count = 10;
  message Event { fixed64 time_unix_nano = 1; string name = 2; repeated KeyValue attributes = 3; uint32 dropped_attributes_count = 4; }
  repeated Event events = 11;
  uint32 dropped_events_count = 12;
  uint32 dropped_links_count = 14;
  Status status = 15;
}
message Status { reserved 1; string message = 2; int32 code = 3; }
`;

const root = protobuf.parse(PROTO, { keepCase: false }).root;
const Request = root.lookupType('opentelemetry.proto.ExportTraceServiceRequest');
const Response = root.lookupType('opentelemetry.proto.ExportTraceServiceResponse');

/** Encodes the export answer (partial success) as protobuf. */
export function encodeTraceResponse(
  partial: { rejectedSpans: number; errorMessage: string } | null,
): Uint8Array {
  const body = partial
    ? { partialSuccess: { rejectedSpans: partial.rejectedSpans, errorMessage: partial.errorMessage } }
    : {};
  return Response.encode(Response.fromObject(body)).finish();
}

/** Encodes a request (for tests and tools that need to build protobuf payloads). */
export function encodeTraceRequest(request: object): Uint8Array {
  return Request.encode(Request.fromObject(request)).finish();
}
