import { AppError, clientDataError, withTransaction, type MysqlPool } from '@testbed/service-kit';
import type { EventOutbox, CloudEvent } from '@testbed/service-kit/events';
import type { ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import type { Profile, ProfileChanges } from '../../domain/profile.js';
import type { ProfileStore } from '../../domain/profile.store.js';

interface ProfileRow extends RowDataPacket {
  uid: string;
  display_name: string;
  bio: string;
  created_at: Date;
  updated_at: Date;
}

const toProfile = (row: ProfileRow): Profile => ({
  uid: row.uid,
  displayName: row.display_name,
  bio: row.bio,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

// Columns holding what the client typed in PUT /me: a value the database refuses there is the
// client's to fix (422). The uid comes from the verified token: a refusal there is our bug (500).
const CLIENT_COLUMNS = { display_name: 'displayName', bio: 'bio' } as const;

// UTC_TIMESTAMP rather than NOW(): the session time zone is whatever the server defaults to.
export class MysqlProfileStore implements ProfileStore {
  constructor(
    private readonly pool: MysqlPool,
    private readonly outbox: EventOutbox,
  ) {}

  async find(uid: string): Promise<Profile | undefined> {
    const row = await this.select(uid, this.pool);
    return row && toProfile(row);
  }

  async save(uid: string, changes: ProfileChanges, events: readonly CloudEvent[] = []): Promise<Profile> {
    let profile: Profile;
    try {
      profile = await withTransaction(this.pool, async (connection) => {
        // VALUES() is what MariaDB understands; MySQL 8 still accepts it with a deprecation warning.
        await connection.execute(
          `INSERT INTO profiles (uid, display_name, bio, created_at, updated_at)
           VALUES (?, ?, ?, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))
           ON DUPLICATE KEY UPDATE display_name = VALUES(display_name), bio = VALUES(bio),
             updated_at = VALUES(updated_at)`,
          [uid, changes.displayName, changes.bio],
        );
        // Same transaction: the change and its announcement commit together or not at all.
        await this.outbox.write(events, connection);
        return this.get(uid, connection);
      });
    } catch (error) {
      throw clientDataError(error, CLIENT_COLUMNS);
    }
    if (events.length > 0) this.outbox.nudge();
    return profile;
  }

  async delete(uid: string): Promise<boolean> {
    const [result] = await this.pool.execute<ResultSetHeader>('DELETE FROM profiles WHERE uid = ?', [uid]);
    return result.affectedRows > 0;
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  private async get(uid: string, connection: Pick<MysqlPool, 'execute'>): Promise<Profile> {
    const row = await this.select(uid, connection);
    // Only a concurrent DELETE between the write and this read gets here; the client may retry.
    if (!row) throw new AppError('conflict', 'the profile was deleted while it was being written');
    return toProfile(row);
  }

  private async select(uid: string, connection: Pick<MysqlPool, 'execute'>): Promise<ProfileRow | undefined> {
    const [rows] = await connection.execute<ProfileRow[]>('SELECT uid, display_name, bio, created_at, updated_at FROM profiles WHERE uid = ?', [uid]);
    return rows[0];
  }
}
