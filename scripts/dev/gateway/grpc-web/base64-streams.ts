// grpc-web-text bodies are base64. Clients may send several independently padded chunks
// back to back ("AAA=AAA="), which a plain decoder stops at, so decoding goes 4 characters
// (one base64 quantum) at a time. Responses are encoded as one continuous base64 stream that
// any decoder accepts: bytes are held back until they fill a 3-byte group, or the body ends.
import { Transform, type TransformCallback } from 'node:stream';

export class InvalidBase64Error extends Error {
  constructor() {
    super('grpc-web-text body is not valid base64');
    this.name = 'InvalidBase64Error';
  }
}

const BASE64_QUANTA = /^(?:[A-Za-z0-9+/]{4})*$/;

/** Decodes text made of whole 4-character quanta, each of which may end in padding. */
export function decodeBase64Quanta(text: string): Buffer {
  const parts: Buffer[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i += 4) {
    const quantum = text.slice(i, i + 4);
    if (quantum.endsWith('=')) {
      if (!/^[A-Za-z0-9+/]{2}(?:==|[A-Za-z0-9+/]=)$/.test(quantum)) throw new InvalidBase64Error();
      parts.push(Buffer.from(text.slice(start, i + 4), 'base64'));
      start = i + 4;
    }
  }
  const rest = text.slice(start);
  if (!BASE64_QUANTA.test(rest)) throw new InvalidBase64Error();
  parts.push(Buffer.from(rest, 'base64'));
  return Buffer.concat(parts);
}

export function base64Decoder(): Transform {
  let pending = '';
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      pending += chunk.toString('latin1').replace(/\s+/g, '');
      const whole = pending.length - (pending.length % 4);
      try {
        const decoded = decodeBase64Quanta(pending.slice(0, whole));
        pending = pending.slice(whole);
        callback(null, decoded);
      } catch (error) {
        callback(error as Error);
      }
    },
    flush(callback: TransformCallback) {
      callback(pending.length === 0 ? null : new InvalidBase64Error());
    },
  });
}

export function base64Encoder(): Transform {
  let held = Buffer.alloc(0);
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      const bytes = held.length > 0 ? Buffer.concat([held, chunk]) : chunk;
      const whole = bytes.length - (bytes.length % 3);
      held = Buffer.from(bytes.subarray(whole));
      callback(null, whole > 0 ? bytes.subarray(0, whole).toString('base64') : undefined);
    },
    flush(callback: TransformCallback) {
      callback(null, held.length > 0 ? held.toString('base64') : undefined);
    },
  });
}
