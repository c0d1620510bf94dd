import { healthResponse } from '$lib/server/http/health';
import type { RequestHandler } from './$types';

/** The process is up (no database check: that is /readyz). */
export const GET: RequestHandler = () => healthResponse({ status: 'ok' }, 200);
