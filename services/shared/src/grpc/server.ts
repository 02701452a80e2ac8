import {
  ResponderBuilder,
  Server,
  ServerInterceptingCall,
  ServerListenerBuilder,
  status,
  type ServerInterceptor,
  type ServerOptions,
  type ServiceDefinition,
} from '@grpc/grpc-js';

const MALFORMED = Symbol('malformed request message');

/** What a tolerant deserializer returns instead of throwing: why the bytes could not be decoded. */
interface MalformedMessage {
  readonly [MALFORMED]: string;
}

const isMalformed = (message: unknown): message is MalformedMessage => typeof message === 'object' && message !== null && MALFORMED in message;

/**
 * `definition` with each method's request deserializer made total: bytes that do not decode as the
 * request message become a MalformedMessage instead of an exception (which grpc-js would answer
 * with INTERNAL, blaming the server for the client's bytes).
 */
function tolerantDefinition(definition: ServiceDefinition): ServiceDefinition {
  return Object.fromEntries(
    Object.entries(definition).map(([name, method]) => [
      name,
      {
        ...method,
        requestDeserialize: (bytes: Buffer): unknown => {
          try {
            return method.requestDeserialize(bytes);
          } catch (error) {
            return { [MALFORMED]: error instanceof Error ? error.message : String(error) } satisfies MalformedMessage;
          }
        },
      },
    ]),
  );
}

/** Ends a call whose request message did not decode with INVALID_ARGUMENT, before any handler sees it. */
const refuseMalformedMessages: ServerInterceptor = (method, call) => {
  const listener = new ServerListenerBuilder()
    .withOnReceiveMessage((message, next) => {
      if (!isMalformed(message)) {
        next(message);
        return;
      }
      call.sendStatus({
        code: status.INVALID_ARGUMENT,
        details: `the request message of ${method.path} is not a valid protobuf message`,
      });
    })
    .build();
  return new ServerInterceptingCall(call, new ResponderBuilder().withStart((next) => next(listener)).build());
};

/**
 * A grpc-js Server on which a request message that does not decode is the client's error
 * (INVALID_ARGUMENT, as for any other invalid argument) rather than grpc-js's INTERNAL, for every
 * service added to it, health and reflection included. `options.interceptors` run after that check.
 * Every gRPC service builds its server here.
 */
export function createGrpcServer(options: ServerOptions = {}): Server {
  const server = new Server({ ...options, interceptors: [refuseMalformedMessages, ...(options.interceptors ?? [])] });
  const addService = server.addService.bind(server);
  server.addService = (service, implementation) => addService(tolerantDefinition(service), implementation);
  return server;
}
