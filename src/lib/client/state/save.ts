/**
 * Runs a save on the tablet and turns a failure (storage full, a database error) into the
 * message code the screen shows: a step that could not be saved must never look saved.
 */
export async function saveOrReport(work: () => Promise<unknown>): Promise<string | null> {
	try {
		await work();
		return null;
	} catch (err) {
		const name = err instanceof Error ? err.message : '';
		// Refusals with their own message (the photo rules: photo_ui_err_…) pass through as they are.
		return name === 'sync_err_signature_too_large' || name.startsWith('photo_ui_err_') ? name : 'sync_err_storage';
	}
}
