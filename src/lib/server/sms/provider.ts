/*
 * The SMS provider adapter: one interface, one implementation per provider. A message is a
 * template code and its parameters (Chinese SMS providers only send pre-approved templates);
 * `outId` is our idempotency key, passed to the provider so its records name our message.
 */

export interface SmsMessage {
	/** The full number (only ever handed to the provider; logs and audit see it masked). */
	phone: string;
	templateCode: string;
	params: Record<string, string>;
	outId: string;
}

export type SmsResult =
	| { ok: true; providerRef: string | null }
	/** `retry`: worth trying again (network, throttling, provider error); otherwise permanent. */
	| { ok: false; code: string; retry: boolean };

export interface SmsProvider {
	readonly name: string;
	send(message: SmsMessage): Promise<SmsResult>;
}

/** No provider configured: every reminder is logged as skipped (`not_configured`). */
export const NO_SMS_PROVIDER = null;
