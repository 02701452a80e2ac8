import { Readable } from 'node:stream';
import { buffer, text } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { InvalidBase64Error, base64Decoder, base64Encoder, decodeBase64Quanta } from './base64-streams.js';

describe('decodeBase64Quanta', () => {
  it('when chunks were padded separately and joined, then every byte is decoded', () => {
    const joined = ['a', 'bc', 'def'].map((part) => Buffer.from(part).toString('base64')).join('');
    expect(joined).toBe('YQ==YmM=ZGVm');
    expect(decodeBase64Quanta(joined).toString()).toBe('abcdef');
  });

  it('when the text is not base64, then it is refused', () => {
    expect(() => decodeBase64Quanta('ab$d')).toThrow(InvalidBase64Error);
    expect(() => decodeBase64Quanta('a===')).toThrow(InvalidBase64Error);
  });
});

describe('base64 streams', () => {
  const bytes = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 256));

  it('when bytes arrive in odd-sized chunks, then the encoder emits one continuous base64 text', async () => {
    const chunks = [bytes.subarray(0, 1), bytes.subarray(1, 5), bytes.subarray(5, 500), bytes.subarray(500)];
    const encoded = await text(Readable.from(chunks).pipe(base64Encoder()));
    expect(encoded).toBe(bytes.toString('base64'));
  });

  it('when base64 text arrives split anywhere, with whitespace, then the decoder gives back the bytes', async () => {
    const encoded = bytes.toString('base64');
    const chunks = [encoded.slice(0, 3), `${encoded.slice(3, 10)}\r\n`, encoded.slice(10, 701), encoded.slice(701)];
    expect(await buffer(Readable.from(chunks).pipe(base64Decoder()))).toEqual(bytes);
  });

  it('when base64 text ends mid-quantum, then the decoder fails', async () => {
    await expect(buffer(Readable.from(['YWJj', 'ZA']).pipe(base64Decoder()))).rejects.toThrow(InvalidBase64Error);
  });
});
