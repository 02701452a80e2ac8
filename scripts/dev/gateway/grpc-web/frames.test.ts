import { describe, expect, it } from 'vitest';
import { decodeGrpcWebBody, encodeMessageFrame, encodeTrailerFrame, grpcWebMode } from './frames.js';

describe('grpcWebMode', () => {
  it('when the content type is grpc-web in any of its forms, then the mode and the gRPC content type follow', () => {
    expect(grpcWebMode('application/grpc-web')).toEqual({ text: false, webContentType: 'application/grpc-web', grpcContentType: 'application/grpc' });
    expect(grpcWebMode('application/grpc-web+proto')).toMatchObject({ text: false, grpcContentType: 'application/grpc+proto' });
    expect(grpcWebMode('application/grpc-web-text; charset=utf-8')).toMatchObject({ text: true, webContentType: 'application/grpc-web-text' });
    expect(grpcWebMode('application/grpc-web-text+proto')).toMatchObject({ text: true, grpcContentType: 'application/grpc+proto' });
  });

  it('when the content type is anything else, then it is not grpc-web', () => {
    for (const type of [undefined, '', 'application/json', 'application/grpc', 'application/grpc-webx']) expect(grpcWebMode(type)).toBeUndefined();
  });
});

describe('grpc-web frames', () => {
  it('when messages and trailers are framed, then decoding gives them back', () => {
    const body = Buffer.concat([
      encodeMessageFrame(Buffer.from('one')),
      encodeMessageFrame(Buffer.alloc(0)),
      encodeTrailerFrame({ 'grpc-status': '0', 'Grpc-Message': 'ok' }),
    ]);
    const decoded = decodeGrpcWebBody(body);
    expect(decoded.messages.map(String)).toEqual(['one', '']);
    expect(decoded.trailers).toEqual({ 'grpc-status': '0', 'grpc-message': 'ok' });
  });

  it('when the trailer frame is encoded, then it has flag 0x80, a big-endian length and HTTP/1-style lines', () => {
    const frame = encodeTrailerFrame({ 'grpc-status': '14' });
    expect(frame[0]).toBe(0x80);
    expect(frame.readUInt32BE(1)).toBe(frame.length - 5);
    expect(frame.subarray(5).toString()).toBe('grpc-status: 14\r\n');
  });

  it('when a body is cut short, then decoding says so', () => {
    expect(() => decodeGrpcWebBody(encodeMessageFrame(Buffer.from('hello')).subarray(0, 7))).toThrow(/truncated/);
  });
});
