/** Starts the job worker of this server process from the configuration (hooks.server.ts init). */
import type { AppConfig } from '$lib/server/config';
import type { Db } from '$lib/server/repos/common';
import { aliyunSmsProvider } from '$lib/server/sms/aliyun';
import type { SmsProvider } from '$lib/server/sms/provider';
import { sweepDeadlines } from '$lib/server/notify/sla-sweep';
import { startJobWorker } from './worker';

const SWEEP_EVERY_MS = 5 * 60_000;

export function smsProviderFrom(cfg: AppConfig['sms']): SmsProvider | null {
	if (cfg.provider !== 'aliyun') return null;
	return aliyunSmsProvider({ endpoint: cfg.endpoint, accessKeyId: cfg.accessKeyId, accessKeySecret: cfg.accessKeySecret, signName: cfg.signName, regionId: cfg.regionId });
}

let stop: (() => void) | null = null;

export function startBackgroundJobs(db: Db, cfg: AppConfig): void {
	if (stop || cfg.jobsPollSeconds === 0) return;
	let lastSweep = 0;
	const reminders = { provider: smsProviderFrom(cfg.sms), templates: { dayBefore: cfg.sms.templateDayBefore, eta: cfg.sms.templateEta } };
	stop = startJobWorker(db, { reminders }, cfg.jobsPollSeconds, async () => {
		if (Date.now() - lastSweep < SWEEP_EVERY_MS) return;
		lastSweep = Date.now();
		await sweepDeadlines(db);
	});
}

/** Stops polling (graceful shutdown): a job being run finishes, its lease covers the rest. */
export function stopBackgroundJobs(): void {
	stop?.();
	stop = null;
}
