import { createConnection, type RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { privateMariadbServer, type PrivateMariadbServer } from '../src/testing/index.js';

let server: PrivateMariadbServer;

beforeAll(async () => {
  server = await privateMariadbServer();
  await server.start();
});

afterAll(async () => {
  await server?.dispose();
});

const query = async (sql: string, options: { connectTimeout?: number } = {}) => {
  const connection = await createConnection({ uri: server.url(''), ...options });
  try {
    const [rows] = await connection.query<RowDataPacket[]>(sql);
    return rows;
  } finally {
    await connection.end();
  }
};

describe('privateMariadbServer', () => {
  it('when started, then root logs in over TCP without a password, and what it stored survives a crash and a restart', async () => {
    await query('CREATE DATABASE kept');
    await server.stop('SIGKILL');
    await expect(query('SELECT 1')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await server.start();
    expect((await query("SHOW DATABASES LIKE 'kept'")).length).toBe(1);
  });

  it('when frozen, then a connection gets no handshake until it is thawed', async () => {
    server.signal('SIGSTOP');
    try {
      await expect(query('SELECT 1', { connectTimeout: 500 })).rejects.toMatchObject({ code: 'ETIMEDOUT' });
    } finally {
      server.signal('SIGCONT');
    }
    expect(await query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });
});
