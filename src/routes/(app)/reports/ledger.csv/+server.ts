import { exportLedger } from '$lib/server/reports/http';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = (event) => exportLedger(event, 'csv');
