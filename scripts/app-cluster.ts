/*
 * Several Doorstep processes on loopback for the cluster test and `npm run bench:sync`: the built
 * server (scripts/start.js) started N times on one database, and a small round-robin HTTP proxy
 * in front. The proxy buffers each request body (bounded), sends it to the next backend, and
 * when a backend refuses the connection (killed) goes on to the next one, as a load balancer
 * with health checks would; a backend that dies mid-request gives the client a 502.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

export function freePort(): Promise<number> {
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

export interface AppProcess {
	port: number;
	child: ChildProcess;
	/** Everything it printed (stdout and stderr). */
	output: () => string;
	exited: Promise<number | null>;
}

async function waitReady(port: number, child: ChildProcess, timeoutMs: number, output: () => string): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) throw new Error(`app on ${port} exited (${child.exitCode}):\n${output().slice(-3000)}`);
		const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.status === 200, () => false);
		if (ok) return;
		await new Promise((r) => setTimeout(r, 200));
	}
	throw new Error(`app on ${port} not ready within ${timeoutMs} ms:\n${output().slice(-3000)}`);
}

/** Starts the built server with `env` on a free port; resolves once /readyz answers 200. */
export async function startApp(env: Record<string, string>, opts: { port?: number; timeoutMs?: number; wait?: boolean; nodeArgs?: string[] } = {}): Promise<AppProcess> {
	const port = opts.port ?? (await freePort());
	const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), path.join(root, 'scripts', 'start.js')], {
		cwd: root,
		env: { ...process.env, HOST: '127.0.0.1', TILE_URL: '', ...env, PORT: String(port) },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let out = '';
	child.stdout!.on('data', (d) => (out += d));
	child.stderr!.on('data', (d) => (out += d));
	const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
	const app = { port, child, output: () => out, exited };
	if (opts.wait !== false) await waitReady(port, child, opts.timeoutMs ?? 90_000, app.output);
	return app;
}

export const waitAppReady = (app: AppProcess, timeoutMs = 90_000) => waitReady(app.port, app.child, timeoutMs, app.output);

export async function stopApp(app: AppProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
	if (app.child.exitCode === null && app.child.signalCode === null) app.child.kill(signal);
	const timer = setTimeout(() => app.child.kill('SIGKILL'), 25_000);
	const code = await app.exited;
	clearTimeout(timer);
	return code;
}

export interface Proxy {
	port: number;
	url: string;
	/** Requests answered per backend port. */
	served: Map<number, number>;
	close(): Promise<void>;
}

const MAX_BODY = 8 * 1024 * 1024;

/** A round-robin proxy on loopback in front of `backends` (ports). */
export async function startProxy(backends: number[], port?: number): Promise<Proxy> {
	const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
	const served = new Map<number, number>(backends.map((b) => [b, 0]));
	let next = 0;
	const forward = (req: http.IncomingMessage, body: Buffer, res: http.ServerResponse, tries: number) => {
		const backend = backends[next++ % backends.length];
		const upstream = http.request(
			{ host: '127.0.0.1', port: backend, method: req.method, path: req.url, headers: { ...req.headers, 'x-forwarded-for': req.socket.remoteAddress ?? '' }, agent },
			(answer) => {
				served.set(backend, (served.get(backend) ?? 0) + 1);
				res.writeHead(answer.statusCode ?? 502, answer.headers);
				answer.pipe(res);
				answer.on('error', () => res.destroy());
			}
		);
		upstream.on('error', (err: NodeJS.ErrnoException) => {
			if ((err.code === 'ECONNREFUSED' || err.code === 'ECONNRESET') && !res.headersSent && tries < backends.length) return forward(req, body, res, tries + 1);
			if (!res.headersSent) {
				res.writeHead(502, { 'content-type': 'text/plain' });
				res.end('bad gateway');
			} else res.destroy();
		});
		upstream.end(body);
	};
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		let size = 0;
		req.on('data', (c: Buffer) => {
			size += c.length;
			if (size > MAX_BODY) {
				res.writeHead(413).end();
				req.destroy();
			} else chunks.push(c);
		});
		req.on('end', () => forward(req, Buffer.concat(chunks), res, 1));
	});
	server.keepAliveTimeout = 30_000;
	const listenPort = port ?? (await freePort());
	await new Promise<void>((resolve) => server.listen(listenPort, '127.0.0.1', resolve));
	return {
		port: listenPort,
		url: `http://127.0.0.1:${listenPort}`,
		served,
		close: () =>
			new Promise<void>((resolve) => {
				agent.destroy();
				server.closeAllConnections();
				server.close(() => resolve());
			})
	};
}
