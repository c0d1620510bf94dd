/**
 * A refusal of an admin use case: `code` is a message key the page translates, `field` the form
 * field the message belongs to (`_form` for the whole form), `status` the HTTP status of `fail()`.
 */
export class AdminError extends Error {
	constructor(
		readonly code: string,
		readonly status: 400 | 404 | 409 = 400,
		readonly field: string = '_form'
	) {
		super(code);
		this.name = 'AdminError';
	}
}

export const notFound = (): AdminError => new AdminError('err_not_found', 404);

/**
 * True for a unique-constraint violation from SQLite (`SQLITE_CONSTRAINT_UNIQUE` /
 * `…PRIMARYKEY`) or PostgreSQL (`23505`): the database's answer to a race between two creates
 * that both passed the "already taken?" check.
 */
export function isUniqueViolation(err: unknown): boolean {
	if (!err || typeof err !== 'object') return false;
	const code = (err as { code?: unknown }).code;
	return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
