// The gRPC status codes the gateway produces itself, and the mapping gRPC defines for an
// upstream that answers with a non-200 HTTP status instead of a gRPC status
// (https://github.com/grpc/grpc/blob/master/doc/http-grpc-status-mapping.md).

export const GrpcStatus = {
  INTERNAL: 13,
  DEADLINE_EXCEEDED: 4,
  RESOURCE_EXHAUSTED: 8,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
  PERMISSION_DENIED: 7,
  UNIMPLEMENTED: 12,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
} as const;

export function grpcStatusForHttpStatus(httpStatus: number): number {
  switch (httpStatus) {
    case 400:
      return GrpcStatus.INTERNAL;
    case 401:
      return GrpcStatus.UNAUTHENTICATED;
    case 403:
      return GrpcStatus.PERMISSION_DENIED;
    case 404:
      return GrpcStatus.UNIMPLEMENTED;
    case 429:
    case 502:
    case 503:
    case 504:
      return GrpcStatus.UNAVAILABLE;
    default:
      return GrpcStatus.UNKNOWN;
  }
}
