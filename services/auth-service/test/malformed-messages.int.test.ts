import { credentials, Client, Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { AuthServiceService } from '@testbed/protos/auth/v1';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { address, bearer, serviceForSuite } from './helpers.js';

// Request messages that are not valid protobuf, found by the fuzz suite (test/fuzz/grpc-property.ts):
// grpc-js answered them with INTERNAL ("Error deserializing request"), blaming the server.
const TRUNCATED_VARINT = Buffer.from([0x08]); // field 1 as a varint, with no value
const UNKNOWN_WIRE_TYPE = Buffer.from([0x0f, 0x01]); // field 1, wire type 7 (none exists)
const LENGTH_PAST_END = Buffer.from([0x0a, 0x7f, 0x41]); // field 1, 127 bytes announced, 1 sent

describe('request messages that do not decode', () => {
  const suite = serviceForSuite();
  let client: Client;

  beforeAll(() => {
    client = new Client(address(suite.service), credentials.createInsecure());
  });
  afterAll(() => client?.close());

  /** A unary call with these exact bytes as the request message. */
  const callWithBytes = (path: string, bytes: Buffer, metadata = new Metadata()) =>
    new Promise<Buffer>((resolve, reject) =>
      client.makeUnaryRequest(
        path,
        (value: Buffer) => value,
        (value: Buffer) => value,
        bytes,
        metadata,
        (error: ServiceError | null, response?: Buffer) => (error ? reject(error) : resolve(response ?? Buffer.alloc(0))),
      ),
    );

  const paths = Object.values(AuthServiceService).map((method) => method.path);

  it.each(paths)('when %s gets bytes that are not its request message, then it answers INVALID_ARGUMENT', async (path) => {
    for (const bytes of [TRUNCATED_VARINT, UNKNOWN_WIRE_TYPE, LENGTH_PAST_END]) {
      await expect(callWithBytes(path, bytes, bearer('not-a-token')), bytes.toString('hex')).rejects.toMatchObject({
        code: status.INVALID_ARGUMENT,
        details: `the request message of ${path} is not a valid protobuf message`,
      });
    }
  });

  it('when the health service gets such bytes, then it is never answered INTERNAL or UNKNOWN (its decoder is lenient: NOT_FOUND or OK)', async () => {
    for (const bytes of [TRUNCATED_VARINT, UNKNOWN_WIRE_TYPE, LENGTH_PAST_END]) {
      const code = await callWithBytes('/grpc.health.v1.Health/Check', bytes).then(
        () => status.OK,
        (error: ServiceError) => error.code,
      );
      expect([status.OK, status.NOT_FOUND, status.INVALID_ARGUMENT], bytes.toString('hex')).toContain(code);
    }
  });

  it('when a valid call follows the refusals, then it is answered as usual', async () => {
    await expect(suite.client.verifyToken('not-a-token')).rejects.toMatchObject({ code: status.UNAUTHENTICATED });
  });
});
