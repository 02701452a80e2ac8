import { ResponderBuilder, ServerInterceptingCall, ServerListenerBuilder, status, type Metadata, type ServerInterceptor } from '@grpc/grpc-js';

/**
 * Largest request metadata (all keys and values, in bytes) a call may carry. Clients send a bearer
 * token of at most MAX_ID_TOKEN_LENGTH (8 KiB) plus a few short headers (content-type, user-agent,
 * grpc-timeout, x-request-id, traceparent); 16 KiB is twice that. grpc-js has no server option for
 * it, and HTTP/2 alone let through header lists of over 100 KiB.
 */
export const MAX_METADATA_BYTES = 16 * 1024;

/** The bytes of every key and value in `metadata`, as they arrived. */
function metadataBytes(metadata: Metadata): number {
  let bytes = 0;
  for (const [key, values] of Object.entries(metadata.toJSON())) {
    for (const value of values) bytes += key.length + (typeof value === 'string' ? Buffer.byteLength(value) : value.length);
  }
  return bytes;
}

/**
 * Refuses calls whose metadata is larger than `maxBytes` with RESOURCE_EXHAUSTED (the status gRPC
 * uses for its own size limits) before any handler runs.
 */
export function metadataLimit(maxBytes = MAX_METADATA_BYTES): ServerInterceptor {
  return (_method, call) => {
    const listener = new ServerListenerBuilder()
      .withOnReceiveMetadata((metadata, next) => {
        if (metadataBytes(metadata) <= maxBytes) {
          next(metadata);
          return;
        }
        call.sendStatus({
          code: status.RESOURCE_EXHAUSTED,
          details: `request metadata is larger than ${maxBytes} bytes`,
        });
      })
      .build();
    return new ServerInterceptingCall(call, new ResponderBuilder().withStart((next) => next(listener)).build());
  };
}
