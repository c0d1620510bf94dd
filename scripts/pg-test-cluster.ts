/*
 * A throw-away PostgreSQL cluster for integration tests: initdb into a temp dir, start a
 * postmaster on a free localhost port, wait until it accepts connections, hand back a URL.
 * Needs only the server binaries (Debian: /usr/lib/postgresql/<major>/bin), no running service.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { findPgBinDir } from './machine-tools.js';

export interface PgCluster {
	/** `postgres://postgres@127.0.0.1:<port>/doorstep_test` */
	url: string;
	/** The same database over the cluster's Unix socket (a server on the same machine). */
	socketUrl: string;
	stop(): Promise<void>;
}

export { findPgBinDir } from './machine-tools.js';

interface RunAs {
	uid?: number;
	gid?: number;
}

/** initdb and postgres refuse to run as root; as root we drop to the `postgres` account. */
function unprivilegedUser(): RunAs {
	if (process.getuid?.() !== 0) return {};
	const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
	const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
	if (uid.status !== 0 || gid.status !== 0) {
		throw new Error('Running as root but there is no "postgres" user to run initdb as.');
	}
	return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			server.close(() => resolve(port));
		});
	});
}

function run(bin: string, args: string[], as: RunAs): void {
	// LC_ALL=C: a container without the host's locale would make initdb fail.
	const env = { ...process.env, LC_ALL: 'C', LANG: 'C' };
	const result = spawnSync(bin, args, { ...as, env, encoding: 'utf8' });
	if (result.status !== 0) {
		const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim();
		throw new Error(`${path.basename(bin)} failed (${result.status}): ${output}`);
	}
}

async function waitUntilReady(binDir: string, socketDir: string, port: number, as: RunAs) {
	const deadline = Date.now() + 30_000;
	const isReady = path.join(binDir, 'pg_isready');
	while (Date.now() < deadline) {
		const probe = spawnSync(isReady, ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres'], {
			...as
		});
		if (probe.status === 0) return;
		await new Promise((r) => setTimeout(r, 100));
	}
	throw new Error(`PostgreSQL did not become ready within 30 s (socket dir ${socketDir}).`);
}

function stopped(child: ChildProcess): Promise<void> {
	return new Promise((resolve) => {
		if (child.exitCode !== null || child.signalCode !== null) return resolve();
		child.once('exit', () => resolve());
	});
}

export async function startPgCluster(): Promise<PgCluster> {
	const binDir = findPgBinDir();
	if (!binDir) throw new Error('PostgreSQL server binaries (initdb, postgres) not found.');
	const as = unprivilegedUser();
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'doorstep-pg-'));
	const dataDir = path.join(dir, 'data');
	if (as.uid !== undefined) fs.chownSync(dir, as.uid, as.gid ?? as.uid);

	let child: ChildProcess | null = null;
	const stop = async () => {
		if (child) {
			// SIGINT = "fast shutdown": roll back sessions, exit without a checkpoint wait.
			child.kill('SIGINT');
			const timer = setTimeout(() => child?.kill('SIGKILL'), 5_000);
			await stopped(child);
			clearTimeout(timer);
			child = null;
		}
		fs.rmSync(dir, { recursive: true, force: true });
	};

	try {
		run(path.join(binDir, 'initdb'), ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync'], as);
		const port = await freePort();
		child = spawn(
			path.join(binDir, 'postgres'),
			[
				'-D', dataDir,
				'-k', dir,
				'-p', String(port),
				'-c', 'listen_addresses=127.0.0.1',
				'-c', 'fsync=off',
				'-c', 'synchronous_commit=off',
				'-c', 'full_page_writes=off',
				'-c', 'max_connections=200'
			],
			{ ...as, env: { ...process.env, LC_ALL: 'C', LANG: 'C' }, stdio: 'ignore' }
		);
		// If the test runner dies without calling stop(), do not leave a postmaster behind.
		const orphanGuard = () => {
			child?.kill('SIGKILL');
			fs.rmSync(dir, { recursive: true, force: true });
		};
		process.once('exit', orphanGuard);
		await waitUntilReady(binDir, dir, port, as);
		run(path.join(binDir, 'createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', 'doorstep_test'], as);
		const stopAndForget = async () => {
			process.off('exit', orphanGuard);
			await stop();
		};
		return { url: `postgres://postgres@127.0.0.1:${port}/doorstep_test`, socketUrl: `postgres://postgres@/doorstep_test?host=${encodeURIComponent(dir)}&port=${port}`, stop: stopAndForget };
	} catch (err) {
		await stop();
		throw err;
	}
}

// `npx tsx scripts/pg-test-cluster.ts`: start a cluster by hand, print its URL, stop on Ctrl-C.
if (import.meta.url === `file://${process.argv[1]}`) {
	const cluster = await startPgCluster();
	console.log(`PostgreSQL ready: ${cluster.url}  (Ctrl-C stops and removes it)`);
	process.on('SIGINT', () => void cluster.stop().then(() => process.exit(0)));
}
