import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { framingOf } from './framing.js';

const request = (rawHeaders: string[], version = '1.1') => {
  const [major, minor] = version.split('.').map(Number);
  return { rawHeaders: ['Host', 'localhost', ...rawHeaders], httpVersionMajor: major, httpVersionMinor: minor } as unknown as IncomingMessage;
};

describe('framingOf', () => {
  it('when a request declares one plain length or one chunked coding, then that is its framing', () => {
    expect(framingOf(request([]))).toEqual({ ok: true, framing: { kind: 'none' } });
    expect(framingOf(request(['Content-Length', '0']))).toEqual({ ok: true, framing: { kind: 'none' } });
    expect(framingOf(request(['Content-Length', '12']))).toEqual({ ok: true, framing: { kind: 'length', length: 12 } });
    expect(framingOf(request(['Transfer-Encoding', 'CHUNKED']))).toEqual({ ok: true, framing: { kind: 'chunked' } });
  });

  it.each([
    ['TE and CL together', ['Transfer-Encoding', 'chunked', 'Content-Length', '3']],
    ['a coding before chunked', ['Transfer-Encoding', 'gzip, chunked']],
    ['an identity coding', ['Transfer-Encoding', 'identity, chunked']],
    ['an empty TE', ['Transfer-Encoding', '']],
    ['two TE headers', ['Transfer-Encoding', 'chunked', 'transfer-encoding', 'chunked']],
    ['two CL headers', ['Content-Length', '3', 'content-length', '3']],
    ['a CL that is not a number', ['Content-Length', '0x3']],
    ['a second Host', ['Host', 'evil.example']],
    ['two Authorization headers', ['Authorization', 'Bearer a', 'authorization', 'Bearer b']],
  ])('when a request has %s, then it is refused', (_name, headers) => {
    expect(framingOf(request(headers)).ok).toBe(false);
  });

  it('when an HTTP/1.0 request carries Transfer-Encoding, then it is refused; an HTTP/1.1 one without Host is too', () => {
    expect(framingOf(request(['Transfer-Encoding', 'chunked'], '1.0')).ok).toBe(false);
    const noHost = { rawHeaders: [], httpVersionMajor: 1, httpVersionMinor: 1 } as unknown as IncomingMessage;
    expect(framingOf(noHost).ok).toBe(false);
  });

  it('when a request carries one Authorization header, then it passes', () => {
    expect(framingOf(request(['Authorization', 'Bearer a'])).ok).toBe(true);
  });
});
