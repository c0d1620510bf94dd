/*
 * The main thread's handle on the photo worker (process.worker.ts): one worker, started on
 * first use, requests matched to answers by id. The input (a camera frame as ImageBitmap, or a
 * picked file as Blob) is transferred, not copied, where it can be.
 */
export interface ProcessRequest {
	id: number;
	source: Blob | ImageBitmap;
	/** The watermark's lines (see pipeline.watermarkLines). */
	lines: string[];
	/** Long edge in pixels (default PHOTO_LIMITS.maxEdgePx; never above it). */
	maxEdge?: number;
	/** Target size in bytes (default PHOTO_LIMITS.targetBytes). */
	targetBytes?: number;
}

export interface ProcessedPhoto {
	blob: Blob;
	sha256: string;
	bytes: number;
	width: number;
	height: number;
	quality: number;
	/** JPEG encodings tried. */
	attempts: number;
	/** Time in the worker, decode to hash. */
	ms: number;
}

export type ProcessResponse = ({ id: number; ok: true } & ProcessedPhoto) | { id: number; ok: false; error: string };

/** A failure as a message code the UI translates (`photo_ui_err_…`). */
export class PhotoProcessingError extends Error {
	constructor(readonly code: string) {
		super(code);
		this.name = 'PhotoProcessingError';
	}
}

export class PhotoProcessor {
	private worker: Worker | null = null;
	private seq = 0;
	private readonly waiting = new Map<number, { resolve: (p: ProcessedPhoto) => void; reject: (e: Error) => void }>();

	constructor(private readonly spawn: () => Worker = defaultSpawn) {}

	process(source: Blob | ImageBitmap, lines: string[], options: { maxEdge?: number; targetBytes?: number } = {}): Promise<ProcessedPhoto> {
		const worker = this.ensure();
		const id = ++this.seq;
		return new Promise<ProcessedPhoto>((resolve, reject) => {
			this.waiting.set(id, { resolve, reject });
			const request: ProcessRequest = { id, source, lines, ...options };
			worker.postMessage(request, source instanceof ImageBitmap ? [source] : []);
		});
	}

	terminate(): void {
		this.worker?.terminate();
		this.worker = null;
		this.failAll('photo_ui_err_processing');
	}

	private ensure(): Worker {
		if (this.worker) return this.worker;
		const worker = this.spawn();
		worker.onmessage = (event: MessageEvent<ProcessResponse>) => {
			const answer = event.data;
			const entry = this.waiting.get(answer.id);
			if (!entry) return;
			this.waiting.delete(answer.id);
			if (answer.ok) {
				const { id: _id, ok: _ok, ...photo } = answer;
				entry.resolve(photo);
			} else entry.reject(new PhotoProcessingError(answer.error));
		};
		// A worker that cannot start (or crashes) fails what waits; the next call starts a new one.
		worker.onerror = () => {
			this.worker?.terminate();
			this.worker = null;
			this.failAll('photo_ui_err_processing');
		};
		this.worker = worker;
		return worker;
	}

	private failAll(code: string): void {
		for (const entry of this.waiting.values()) entry.reject(new PhotoProcessingError(code));
		this.waiting.clear();
	}
}

// Written out in full so Vite finds the worker and bundles it (new URL + import.meta.url).
const defaultSpawn = () => new Worker(new URL('./process.worker.ts', import.meta.url), { type: 'module' });

let shared: PhotoProcessor | null = null;
/** The app's one processor (a worker costs memory: one is enough for one camera). */
export function photoProcessor(): PhotoProcessor {
	shared ??= new PhotoProcessor();
	return shared;
}
