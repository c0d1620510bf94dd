/*
 * Wiring of the browser's signals to the engine, for the UI to call once. Everything is passed
 * in (window-like and document-like objects), so the engine stays free of the DOM and tests can
 * fire the events by hand. Background Sync is only a trigger: the outbox is the app's own.
 */
import type { SyncEngine } from './engine';

export const BACKGROUND_SYNC_TAG = 'doorstep-sync';

interface EventSource {
	addEventListener(type: string, listener: () => void): void;
	removeEventListener(type: string, listener: () => void): void;
}

export interface TriggerEnvironment {
	window: EventSource & { navigator?: { onLine?: boolean } };
	document?: EventSource & { visibilityState?: string };
}

/** Connects online/offline/visibilitychange to the engine; returns the function that undoes it. */
export function wireBrowserTriggers(engine: SyncEngine, env: TriggerEnvironment): () => void {
	const onOnline = () => void engine.handleOnline();
	const onOffline = () => engine.handleOffline();
	const onVisibility = () => engine.handleVisibilityChange(env.document?.visibilityState !== 'hidden');
	env.window.addEventListener('online', onOnline);
	env.window.addEventListener('offline', onOffline);
	env.document?.addEventListener('visibilitychange', onVisibility);
	if (env.window.navigator?.onLine === false) engine.handleOffline();
	return () => {
		env.window.removeEventListener('online', onOnline);
		env.window.removeEventListener('offline', onOffline);
		env.document?.removeEventListener('visibilitychange', onVisibility);
	};
}

interface SyncRegistration {
	sync?: { register(tag: string): Promise<void> };
}

/**
 * Asks the browser to wake the service worker (`sync` event, tag BACKGROUND_SYNC_TAG) when the
 * network returns. False where Background Sync does not exist (Safari, Firefox): the online
 * event and the timer cover those.
 */
export async function requestBackgroundSync(registration: SyncRegistration | null | undefined): Promise<boolean> {
	if (!registration?.sync) return false;
	try {
		await registration.sync.register(BACKGROUND_SYNC_TAG);
		return true;
	} catch {
		return false;
	}
}
