/*
 * Playwright global teardown: after the whole run, search what every e2e server printed
 * (scripts/e2e-server.js copies stdout and stderr to E2E_LOG_DIR) for personal data and secrets.
 * The run fails when a log holds a resident's ID number, phone number, name or address, a
 * password, a password hash, a session cookie or id, or an image. The values come from each
 * server's own database (named in its log's first line), so residents the tests created count
 * too; patterns catch ID and phone numbers that never reached a database (refused input).
 * Findings are reported by kind and line, masked: the report itself is a log.
 */
import Database from 'better-sqlite3';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { findPersonalNumbers, PERSONAL_NUMBER_KINDS } from '../../src/lib/domain/personal-numbers';

export interface Finding {
	file: string;
	line: number;
	kind: string;
	masked: string;
}

interface Secret {
	kind: string;
	value: string;
}

const PATTERNS: Array<{ kind: string; re: RegExp }> = [
	{ kind: 'demo or test password', re: /Doorstep-2026|[A-Z][a-z]+-Pass-2026/g },
	{ kind: 'password hash', re: /\$argon2(id|i|d)\$/g },
	{ kind: 'session cookie', re: /doorstep_session=/g },
	{ kind: 'image data', re: /data:image\/[a-z]+;base64,/g }
];

const mask = (value: string): string => (value.length <= 4 ? '****' : `${value.slice(0, 2)}…${value.slice(-1)} (${value.length} chars)`);

/** Values from a server's database that must never appear in its log. */
export function secretsFromDatabase(file: string): Secret[] {
	if (!existsSync(file)) return [];
	const db = new Database(file, { readonly: true, fileMustExist: true });
	try {
		const secrets: Secret[] = [];
		const residents = db.prepare('select name, phone, id_number, address, contact_name, contact_phone from residents').all() as Record<string, string | null>[];
		for (const r of residents) {
			secrets.push({ kind: 'resident ID number', value: r.id_number ?? '' }, { kind: 'resident phone', value: r.phone ?? '' }, { kind: 'contact phone', value: r.contact_phone ?? '' });
			secrets.push({ kind: 'resident name', value: r.name ?? '' }, { kind: 'contact name', value: r.contact_name ?? '' }, { kind: 'resident address', value: r.address ?? '' });
		}
		for (const s of db.prepare('select id from sessions').all() as { id: string }[]) secrets.push({ kind: 'session id', value: s.id });
		// Names shorter than two characters would match ordinary text.
		return secrets.filter((s) => s.value.length >= 2);
	} finally {
		db.close();
	}
}

export function scanLog(file: string, text: string, secrets: Secret[]): Finding[] {
	const findings: Finding[] = [];
	const lines = text.split('\n');
	lines.forEach((line, i) => {
		// ID and mobile numbers that never reached a database (refused input); UUIDs are passed over.
		for (const found of findPersonalNumbers(line)) findings.push({ file, line: i + 1, kind: `${found.kind} (pattern)`, masked: mask(found.value) });
		for (const { kind, re } of PATTERNS) {
			for (const match of line.matchAll(re)) findings.push({ file, line: i + 1, kind, masked: mask(match[0]) });
		}
		for (const { kind, value } of secrets) {
			if (line.includes(value)) findings.push({ file, line: i + 1, kind, masked: mask(value) });
		}
	});
	return findings;
}

/** The log files this run wrote (touched since the runner started). */
function logsOfThisRun(dir: string): string[] {
	if (!existsSync(dir)) return [];
	const started = Date.now() - process.uptime() * 1000 - 1000;
	return readdirSync(dir)
		.filter((f) => f.endsWith('.log'))
		.map((f) => path.join(dir, f))
		.filter((f) => statSync(f).mtimeMs >= started);
}

export default async function scanServerLogs(): Promise<void> {
	const dir = path.resolve(process.env.E2E_LOG_DIR ?? '.tmp/e2e-logs');
	const files = logsOfThisRun(dir);
	if (!files.length) throw new Error(`log scan: no e2e server log was written in ${dir} (is scripts/e2e-server.js copying its output?)`);
	const findings: Finding[] = [];
	let secretsSeen = 0;
	for (const file of files) {
		const text = readFileSync(file, 'utf8');
		const dataDir = /e2e server data folder: (.+)/.exec(text)?.[1]?.trim();
		if (!dataDir) throw new Error(`log scan: ${file} does not name its data folder; the log copy is incomplete`);
		const secrets = secretsFromDatabase(path.join(dataDir, 'doorstep.sqlite'));
		secretsSeen += secrets.length;
		// The scanner must be able to see: a seeded ID number in a synthetic line is found.
		const probe = secrets.find((s) => s.kind === 'resident ID number');
		if (probe && !scanLog('probe', `x ${probe.value} y`, secrets).length) throw new Error('log scan: the scanner does not find a seeded ID number');
		findings.push(...scanLog(path.relative(process.cwd(), file), text, secrets));
	}
	if (!secretsSeen) throw new Error('log scan: no database to take personal data from; nothing could be checked');
	if (findings.length) {
		const list = findings.slice(0, 40).map((f) => `  ${f.file}:${f.line} ${f.kind}: ${f.masked}`);
		throw new Error(`log scan: personal data or secrets in the e2e server logs (${findings.length}):\n${list.join('\n')}`);
	}
	console.log(`log scan: ${files.length} server log(s) clean (${secretsSeen} values and ${PATTERNS.length + PERSONAL_NUMBER_KINDS.length} patterns checked)`);
}
