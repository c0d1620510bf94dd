/** Tables of the device-protection and privacy work, kept apart from schema.ts to keep it small. */

/** A user's recovery secret for the tablet's data key (migration 007_device_secrets). */
export interface DeviceSecretsTable {
	user_id: string;
	secret: string;
	created_at: string;
}

/** A branch-wide setting (migration 008_settings); a missing key means the built-in default. */
export interface SettingsTable {
	key: string;
	value: string;
	updated_at: string;
	updated_by: string | null;
}

/** A photo object to delete once no row points at it (migration 009_photo_deletions). */
export interface PhotoDeletionsTable {
	sha256: string;
	requested_at: string;
}

/** One shared token bucket (migration 016_scale_out); `key` is `<limit>:<sha-256 of the key>`. */
export interface RateLimitsTable {
	key: string;
	tokens: number;
	updated_ms: number;
	last_ok: number;
}
