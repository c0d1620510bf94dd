/**
 * Turns FormData into a plain object for the valibot schemas: `a.b` nests, `windows.0.start`
 * builds arrays, a name that occurs several times (checkboxes) becomes an array. Empty optional
 * fields arrive as '' and the schemas decide what that means. Files are ignored here.
 */
export function formToObject(form: FormData): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	const seen = new Map<string, number>();
	for (const [name] of form) seen.set(name, (seen.get(name) ?? 0) + 1);
	for (const [name, count] of seen) {
		const values = form.getAll(name).filter((v): v is string => typeof v === 'string');
		const multi = name.endsWith('[]');
		const key = multi ? name.slice(0, -2) : name;
		setPath(out, key.split('.'), multi || count > 1 ? values : values[0] ?? '');
	}
	return out;
}

function setPath(target: Record<string, unknown>, parts: string[], value: unknown): void {
	let node: Record<string, unknown> | unknown[] = target;
	for (let i = 0; i < parts.length - 1; i++) {
		const part = parts[i];
		const nextIsIndex = /^\d+$/.test(parts[i + 1]);
		const container = (node as Record<string, unknown>)[part];
		if (container === undefined || typeof container !== 'object' || container === null) {
			(node as Record<string, unknown>)[part] = nextIsIndex ? [] : {};
		}
		node = (node as Record<string, unknown>)[part] as Record<string, unknown>;
	}
	(node as Record<string, unknown>)[parts[parts.length - 1]] = value;
}

/** Cap on any single text field we echo back into a form, so a huge paste cannot bloat a page. */
export function echo(value: unknown, max = 2000): string {
	return typeof value === 'string' ? value.slice(0, max) : '';
}

/** The record version a form was built from (optimistic locking); undefined when absent. */
export function formVersion(raw: Record<string, unknown>): number | undefined {
	const n = Number(raw.version);
	return Number.isInteger(n) && n > 0 ? n : undefined;
}
