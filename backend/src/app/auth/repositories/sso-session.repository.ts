import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

/** One single sign-on session (`sso_session`). */
export interface SsoSessionRow {
  id: string;
  userId: string;
  /** SHA-256 (hex) of the secret half of the browser's cookie. */
  secretHash: string;
  /** The identity provider's refresh token, encrypted (`TokenCipher`); null when the provider issued none. */
  refreshToken: string | null;
  refreshedAt: Date;
  expiresAt: Date;
}

export interface NewSsoSession {
  userId: string;
  secretHash: string;
  refreshToken: string | null;
  expiresAt: Date;
}

const COLUMNS = `id, user_id AS "userId", secret_hash AS "secretHash", refresh_token AS "refreshToken",
  refreshed_at AS "refreshedAt", expires_at AS "expiresAt"`;

/** SSO sessions: the only writer of `sso_session`. */
@Injectable()
export class SsoSessionRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Stores a new session and returns its id; sessions past their expiry are pruned on the way. */
  async create(session: NewSsoSession): Promise<string> {
    await this.dataSource.query(`DELETE FROM sso_session WHERE expires_at < now()`);
    const rows: { id: string }[] = await this.dataSource.query(
      `INSERT INTO sso_session (user_id, secret_hash, refresh_token, expires_at) VALUES ($1, $2, $3, $4) RETURNING id`,
      [session.userId, session.secretHash, session.refreshToken, session.expiresAt],
    );
    return rows[0].id;
  }

  /**
   * Runs `work` on the live session `id` locked against other refreshes (two tabs refreshing at once must not both
   * spend a rotating refresh token); `work` gets undefined when the session is unknown or expired.
   */
  async withLocked<T>(
    id: string,
    work: (row: SsoSessionRow | undefined, manager: EntityManager) => Promise<T>,
  ): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      const rows: SsoSessionRow[] = await manager.query(
        `SELECT ${COLUMNS} FROM sso_session WHERE id = $1 AND expires_at > now() FOR UPDATE`,
        [id],
      );
      return work(rows[0], manager);
    });
  }

  /** Records a refresh at the provider: its new refresh token (when it rotated) and the session's new expiry. */
  async refreshed(manager: EntityManager, id: string, refreshToken: string | null, expiresAt: Date): Promise<void> {
    await manager.query(
      `UPDATE sso_session SET refresh_token = coalesce($2, refresh_token), refreshed_at = now(), expires_at = $3
       WHERE id = $1`,
      [id, refreshToken, expiresAt],
    );
  }

  /** Deletes session `id` when `secretHash` is its secret's (a browser ending its own session); true if it did. */
  async deleteWithSecret(id: string, secretHash: string): Promise<boolean> {
    const [, count]: [unknown, number] = await this.dataSource.query(
      `DELETE FROM sso_session WHERE id = $1 AND secret_hash = $2`,
      [id, secretHash],
    );
    return count > 0;
  }

  async delete(id: string, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.query(`DELETE FROM sso_session WHERE id = $1`, [id]);
  }
}
