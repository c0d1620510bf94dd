import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database, IntBool } from '$lib/server/db/schema';

/** Every repository function accepts the database or an open transaction. */
export type Db = Kysely<Database> | Transaction<Database>;

export const newId = (): string => randomUUID();

export const isoNow = (now: Date = new Date()): string => now.toISOString();

export const toBool = (value: number): boolean => value === 1;
export const fromBool = (value: boolean): IntBool => (value ? 1 : 0);

/** PostgreSQL returns `count(*)` as a string (bigint); SQLite as a number. */
export const toCount = (value: string | number | bigint | null | undefined): number =>
	Number(value ?? 0);

/** Escapes LIKE wildcards so a typed fragment matches literally (used with `escape '\'`). */
export const likeFragment = (fragment: string): string =>
	`%${fragment.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export function parseJsonList<T>(text: string): T[] {
	try {
		const value: unknown = JSON.parse(text);
		return Array.isArray(value) ? (value as T[]) : [];
	} catch {
		return [];
	}
}

export type UpdateResult = { ok: true; version: number } | { ok: false };

/** True when a patch object sets at least one column (Kysely drops `undefined` values). */
export const hasChanges = (patch: object): boolean =>
	Object.values(patch).some((value) => value !== undefined);
