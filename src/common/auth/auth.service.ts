import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { unauthenticated } from '../errors/domain-error.js';
import { hashApiKey, hashesEqual } from './api-key-secret.js';
import type { Caller } from './caller.js';

interface KeyRow {
  id: string;
  secret_hash: string;
  organization_id: string;
  kind: Caller['organizationKind'];
  role: Caller['role'];
  technician_id: string | null;
  technician_active: boolean | null;
  expires_at: Date | null;
  revoked_at: Date | null;
}

/** Resolves `Authorization: Bearer <key>` to a caller. One indexed query; nothing cached, so a revocation is immediate on every replica. */
@Injectable()
export class AuthService {
  constructor(private readonly db: DataSource) {}

  async authenticate(authorization: string | undefined): Promise<Caller | null> {
    if (authorization === undefined || authorization === '') return null;
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match) throw unauthenticated('The Authorization header must be "Bearer <API key>".');
    const hash = hashApiKey(match[1]);
    const rows: KeyRow[] = await this.db.query(
      `SELECT k.id, k.secret_hash, k.organization_id, o.kind, k.role, k.technician_id, t.active AS technician_active,
              k.expires_at, k.revoked_at
         FROM api_keys k
         JOIN organizations o ON o.id = k.organization_id
         LEFT JOIN technicians t ON t.id = k.technician_id
        WHERE k.secret_hash = $1`,
      [hash],
    );
    const row = rows[0];
    if (!row || !hashesEqual(row.secret_hash, hash)) throw unauthenticated('The API key is not valid.');
    if (row.revoked_at) throw unauthenticated('The API key has been revoked.');
    if (row.expires_at && row.expires_at.getTime() <= Date.now()) throw unauthenticated('The API key has expired.');
    if (row.technician_id && row.technician_active === false) throw unauthenticated('The technician of this API key is no longer active.');
    return {
      apiKeyId: row.id,
      organizationId: row.organization_id,
      organizationKind: row.kind,
      role: row.role,
      technicianId: row.technician_id,
    };
  }
}
