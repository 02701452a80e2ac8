// grpc-web wire format (https://github.com/grpc/grpc/blob/master/doc/PROTOCOL-WEB.md): the same
// length-prefixed messages as gRPC, plus a final frame with flag 0x80 that carries the trailers,
// because browsers cannot read HTTP trailers.

const TRAILER_FLAG = 0x80;
const HEADER_BYTES = 5;

export interface GrpcWebMode {
  /** application/grpc-web-text: the body is base64 in both directions. */
  readonly text: boolean;
  /** What the browser sent and gets back, e.g. application/grpc-web+proto. */
  readonly webContentType: string;
  /** What the gRPC server is sent, e.g. application/grpc+proto. */
  readonly grpcContentType: string;
}

/** Recognises the grpc-web content types; undefined for anything else. */
export function grpcWebMode(contentType: string | undefined): GrpcWebMode | undefined {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const match = /^application\/grpc-web(-text)?(\+[\w.-]+)?$/.exec(type);
  if (!match) return undefined;
  const codec = match[2] ?? '';
  return { text: match[1] !== undefined, webContentType: type, grpcContentType: `application/grpc${codec}` };
}

/** Trailers as the body frame a grpc-web client reads them from: `name: value\r\n` lines. */
export function encodeTrailerFrame(trailers: Readonly<Record<string, string>>): Buffer {
  const block = Buffer.from(
    Object.entries(trailers)
      .map(([name, value]) => `${name.toLowerCase()}: ${value}\r\n`)
      .join(''),
    'utf8',
  );
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt8(TRAILER_FLAG, 0);
  header.writeUInt32BE(block.length, 1);
  return Buffer.concat([header, block]);
}

/** A length-prefixed data frame around one serialised message. */
export function encodeMessageFrame(message: Uint8Array): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt32BE(message.length, 1);
  return Buffer.concat([header, message]);
}

export interface DecodedGrpcWebBody {
  readonly messages: Buffer[];
  readonly trailers: Record<string, string> | undefined;
}

/** Splits a complete grpc-web response body into its messages and trailers. */
export function decodeGrpcWebBody(body: Buffer): DecodedGrpcWebBody {
  const messages: Buffer[] = [];
  let trailers: Record<string, string> | undefined;
  let offset = 0;
  while (offset < body.length) {
    if (body.length - offset < HEADER_BYTES) throw new Error('truncated grpc-web frame header');
    const flags = body.readUInt8(offset);
    const length = body.readUInt32BE(offset + 1);
    const end = offset + HEADER_BYTES + length;
    if (end > body.length) throw new Error('truncated grpc-web frame');
    const payload = body.subarray(offset + HEADER_BYTES, end);
    if (flags & TRAILER_FLAG) trailers = parseTrailerBlock(payload.toString('utf8'));
    else messages.push(payload);
    offset = end;
  }
  return { messages, trailers };
}

function parseTrailerBlock(block: string): Record<string, string> {
  const trailers: Record<string, string> = {};
  for (const line of block.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) trailers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return trailers;
}
