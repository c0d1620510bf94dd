import path from 'node:path';
import type { IdMaskPolicy } from '$lib/domain/privacy';
import { readRateLimits, type RateLimitConfig } from '$lib/server/security/limits';
import type { TileSource } from '$lib/map/tile-source';
import { readTileSource } from '$lib/server/map/tile-config';

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
	/** The whole tile source (lib/server/map/tile-config.ts); null when the map is off. */
	tiles: TileSource | null;
	/** MBTiles file served at /tiles/{z}/{x}/{y} (optional: missing file → 404s). */
	mbtilesPath: string;
	/** OSRM-compatible routing service (e.g. `http://osrm:5000`); empty: great-circle estimate. */
	routingUrl: string;
	/** How resident IDs are masked: 1+1 (default), 3+3 or 6+4. */
	idMaskPolicy: IdMaskPolicy;
	/** Session lifetime in hours. */
	sessionHours: number;
	/** Failed logins before the account is locked, and for how long. */
	loginMaxFailures: number;
	loginLockMinutes: number;
	/** A check-in further than this from the resident's pin asks the team for a reason (metres). */
	checkInMaxDistanceM: number;
	/** Rate limits: failed sign-ins, photo uploads, sync pushes (lib/server/security/limits.ts). */
	rateLimits: RateLimitConfig;
	/** Where photo bytes live: a folder under dataDir (default) or S3-compatible storage. */
	photoStorage: 'local' | 's3';
	/** S3-compatible object storage (PHOTO_STORAGE=s3). Credentials null: the SDK's default chain. */
	s3: {
		endpoint: string | null;
		bucket: string;
		region: string;
		accessKeyId: string | null;
		secretAccessKey: string | null;
		/** `bucket` in the path instead of the host name: MinIO, Ceph and most on-premises stores need it. */
		forcePathStyle: boolean;
	};
	/** SMS reminders to customers (lib/server/sms): provider, credentials, templates. */
	sms: SmsConfig;
	/** How often the job queue looks for due jobs (seconds); 0 stops the in-process worker. */
	jobsPollSeconds: number;
}

export interface SmsConfig {
	/** `none` (default: reminders are logged as skipped) or `aliyun` (Alibaba Cloud SMS). */
	provider: 'none' | 'aliyun';
	endpoint: string;
	accessKeyId: string;
	accessKeySecret: string;
	signName: string;
	regionId: string;
	templateDayBefore: string;
	templateEta: string;
}

export function readSmsConfig(env: Record<string, string | undefined>): SmsConfig {
	const cfg: SmsConfig = {
		provider: env.SMS_PROVIDER === 'aliyun' ? 'aliyun' : 'none',
		endpoint: (env.SMS_ENDPOINT || 'https://dysmsapi.aliyuncs.com').trim(),
		accessKeyId: env.SMS_ACCESS_KEY_ID ?? '',
		accessKeySecret: env.SMS_ACCESS_KEY_SECRET ?? '',
		signName: env.SMS_SIGN_NAME ?? '',
		regionId: env.SMS_REGION || 'cn-hangzhou',
		templateDayBefore: env.SMS_TEMPLATE_DAY_BEFORE ?? '',
		templateEta: env.SMS_TEMPLATE_ETA ?? ''
	};
	if (cfg.provider === 'aliyun') {
		const missing = (['accessKeyId', 'accessKeySecret', 'signName', 'templateDayBefore', 'templateEta'] as const).filter((k) => !cfg[k]);
		if (missing.length) {
			console.warn(`[doorstep] SMS_PROVIDER=aliyun but ${missing.join(', ')} missing: reminders are skipped`);
			return { ...cfg, provider: 'none' };
		}
	}
	return cfg;
}

import { CHECK_IN_DISTANCE, checkInDistanceOf } from '$lib/domain/check-in';

function intFrom(value: string | undefined, fallback: number): number {
	const n = Number.parseInt(value ?? '', 10);
	return Number.isFinite(n) && n > 0 ? n : fallback;
}

export function readConfig(env: Record<string, string | undefined> = process.env): AppConfig {
	const mask = env.ID_MASK_POLICY;
	const dataDir = path.resolve(env.DATA_DIR || './data');
	const tiles = readTileSource(env);
	if (tiles.problem) console.warn(`[doorstep] ${tiles.problem}`);
	return {
		dataDir,
		databaseUrl: env.DATABASE_URL ?? '',
		seedDemo: env.SEED_DEMO !== '0',
		adminPassword: env.ADMIN_PASSWORD || null,
		tileUrl: tiles.source?.url ?? '',
		tileAttribution: tiles.source?.attribution ?? '',
		tiles: tiles.source,
		mbtilesPath: path.resolve(dataDir, env.MBTILES_PATH || 'tiles.mbtiles'),
		routingUrl: (env.ROUTING_URL ?? '').trim().replace(/\/+$/, ''),
		idMaskPolicy: mask === '3+3' || mask === '6+4' ? mask : '1+1',
		sessionHours: intFrom(env.SESSION_HOURS, 12),
		loginMaxFailures: intFrom(env.LOGIN_MAX_FAILURES, 5),
		loginLockMinutes: intFrom(env.LOGIN_LOCK_MINUTES, 15),
		checkInMaxDistanceM: checkInDistanceOf(intFrom(env.CHECKIN_MAX_DISTANCE_M, CHECK_IN_DISTANCE.default)),
		rateLimits: readRateLimits(env),
		photoStorage: env.PHOTO_STORAGE === 's3' ? 's3' : 'local',
		s3: {
			endpoint: env.S3_ENDPOINT || null,
			bucket: env.S3_BUCKET ?? '',
			region: env.S3_REGION || 'us-east-1',
			accessKeyId: env.S3_ACCESS_KEY_ID || null,
			secretAccessKey: env.S3_SECRET_ACCESS_KEY || null,
			forcePathStyle: env.S3_FORCE_PATH_STYLE ? env.S3_FORCE_PATH_STYLE === '1' : Boolean(env.S3_ENDPOINT)
		},
		sms: readSmsConfig(env),
		jobsPollSeconds: env.JOBS_POLL_SECONDS === '0' ? 0 : intFrom(env.JOBS_POLL_SECONDS, 30)
	};
}

let cached: AppConfig | null = null;
export function config(): AppConfig {
	cached ??= readConfig();
	return cached;
}
