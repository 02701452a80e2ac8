import { status } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { MAX_ID_TOKEN_LENGTH } from '../src/domain/verify-token.js';
import { MAX_METADATA_BYTES } from '../src/grpc/metadata-limit.js';
import { MAX_RECEIVE_MESSAGE_BYTES } from '../src/grpc/server.js';
import { bearer, serviceForSuite } from './helpers.js';

// A token-shaped string of `length` characters (never valid: only its size matters here).
const tokenOf = (length: number): string => `eyJ${'A'.repeat(length - 3)}`;

describe('request size limits on the gRPC surface', () => {
  const suite = serviceForSuite();

  it('when id_token is almost 4 MiB (under grpc-js default limit), then the message is RESOURCE_EXHAUSTED', async () => {
    // grpc-js refuses the message as it arrives, before decoding it: it is never buffered whole.
    await expect(suite.client.verifyToken(tokenOf(4 * 1024 * 1024 - 64))).rejects.toMatchObject({
      code: status.RESOURCE_EXHAUSTED,
    });
  });

  it('when id_token is longer than a token can be but the message is under the limit, then it is INVALID_ARGUMENT', async () => {
    const length = MAX_ID_TOKEN_LENGTH + 1;
    expect(length).toBeLessThan(MAX_RECEIVE_MESSAGE_BYTES - 16);

    await expect(suite.client.verifyToken(tokenOf(length))).rejects.toMatchObject({
      code: status.INVALID_ARGUMENT,
      details: `id token is longer than ${MAX_ID_TOKEN_LENGTH} characters`,
    });
  });

  it('when the bearer token in GetSession metadata is oversized, then it is INVALID_ARGUMENT', async () => {
    await expect(suite.client.getSession(bearer(tokenOf(MAX_ID_TOKEN_LENGTH + 1)))).rejects.toMatchObject({
      code: status.INVALID_ARGUMENT,
    });
  });

  it('when the metadata is larger than the limit, then the call is RESOURCE_EXHAUSTED before the handler', async () => {
    const metadata = bearer(tokenOf(1200));
    metadata.set('x-padding', 'a'.repeat(MAX_METADATA_BYTES));

    await expect(suite.client.getSession(metadata)).rejects.toMatchObject({
      code: status.RESOURCE_EXHAUSTED,
      details: `request metadata is larger than ${MAX_METADATA_BYTES} bytes`,
    });
  });

  it('when the metadata is within the limit, then the call reaches the handler', async () => {
    const metadata = bearer(tokenOf(1200));
    metadata.set('x-padding', 'a'.repeat(MAX_METADATA_BYTES / 2));

    await expect(suite.client.getSession(metadata)).rejects.toMatchObject({
      code: status.UNAUTHENTICATED,
      details: 'invalid token',
    });
  });

  it('when a token of ordinary size is sent after the refusals, then the server still answers', async () => {
    await expect(suite.client.verifyToken(tokenOf(1200))).rejects.toMatchObject({ code: status.UNAUTHENTICATED });
  });
});
