import path from 'node:path';
import type { IdMaskPolicy } from '$lib/domain/privacy';

/**
 * Every environment variable the server reads, parsed once with its default.
 * The README's configuration table mirrors this file; keep them together.
 */
export interface AppConfig {
	/** Folder for the SQLite file and local photo storage. */
	dataDir: string;
	/** `postgres://…` selects PostgreSQL; empty means SQLite in dataDir. */
	databaseUrl: string;
	/** Seed demo data on first start with an empty database. */
	seedDemo: boolean;
	/** Password for the first admin when SEED_DEMO=0 and no admin exists. */
	adminPassword: string | null;
	/** Leaflet tile URL template; empty disables the map (forms still work). */
	tileUrl: string;
	tileAttribution: string;
	/** How resident IDs are masked: 1+1 (default), 3+3 or 6+4. */
	idMaskPolicy: IdMaskPolicy;
	/** Session lifetime in hours. */
	sessionHours: number;
	/** Failed logins before the account is locked, and for how long. */
	loginMaxFailures: number;
	loginLockMinutes: number;
}

function intFrom(value: string | undefined, fallback: number): number {
	const n = Number.parseInt(value ?? '', 10);
	return Number.isFinite(n) && n > 0 ? n : fallback;
}

export function readConfig(env: Record<string, string | undefined> = process.env): AppConfig {
	const mask = env.ID_MASK_POLICY;
	return {
		dataDir: path.resolve(env.DATA_DIR || './data'),
		databaseUrl: env.DATABASE_URL ?? '',
		seedDemo: env.SEED_DEMO !== '0',
		adminPassword: env.ADMIN_PASSWORD || null,
		tileUrl: env.TILE_URL ?? 'https://tile.openstreetmap.org/{z}/{x}/{y}.png',
		tileAttribution: env.TILE_ATTRIBUTION ?? '© OpenStreetMap contributors',
		idMaskPolicy: mask === '3+3' || mask === '6+4' ? mask : '1+1',
		sessionHours: intFrom(env.SESSION_HOURS, 12),
		loginMaxFailures: intFrom(env.LOGIN_MAX_FAILURES, 5),
		loginLockMinutes: intFrom(env.LOGIN_LOCK_MINUTES, 15)
	};
}

let cached: AppConfig | null = null;
export function config(): AppConfig {
	cached ??= readConfig();
	return cached;
}
