/** Tables of the device-protection work (issue 6), kept apart from schema.ts to keep it small. */

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
